//! `DELETE /v1/organizations/{org}`: close it, or with `force=true&confirm=<name>` delete it.

use crate::refusals::{conflict, Refusals};
use actix_web::{http::header, web, HttpResponse};
use roster_core::organizations::{self as ops, Deleted};
use roster_core::Conflict;
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::Organization;
use super::key::org_key;
use super::view;
use crate::error::ApiError;
use crate::extract::{Call, IfMatch, Query};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteOrganizationQuery {
    /// Delete the organization and everything it owns instead of closing it.
    #[serde(default)]
    pub force: bool,
    /// With `force=true`: the organization's current name, to confirm.
    pub confirm: Option<String>,
}

/// Close or delete an organization
///
/// Closes it (200 with it, closed), or deletes it for good with `force=true&confirm=<name>`
/// (204); its audit log stays, for platform admins. Closing twice is 409; a closed organization
/// can still be deleted.
#[utoipa::path(
    delete,
    path = "/v1/organizations/{org}",
    tag = "organizations",
    params(("org" = String, Path, description = "Organization id or name"), DeleteOrganizationQuery),
    responses(
        (status = 200, description = "Closed", body = Organization, headers(("ETag" = String, description = "The organization's new version"))),
        (status = 204, description = "Deleted with everything it owned"),
        (status = 409, description = "Already closed", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`force=true` without the matching `confirm`", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_organization(
    call: Call<ops::DeleteOrganization>,
    path: web::Path<String>,
    if_match: IfMatch,
    query: Query<DeleteOrganizationQuery>,
) -> Result<HttpResponse, ApiError> {
    let op = ops::DeleteOrganization {
        organization: org_key(&path)?,
        force: query.0.force,
        confirm: query.0.confirm,
        precondition: if_match.0,
    };
    Ok(match call.execute(op).await? {
        Deleted::Deleted => HttpResponse::NoContent().finish(),
        Deleted::Closed(org) => HttpResponse::Ok()
            .insert_header((header::ETAG, org.etag()))
            .json(view::organization(*org)),
    })
}

impl Refusals for ops::DeleteOrganization {
    fn refusals() -> Vec<ApiError> {
        vec![conflict(Conflict::Closed)]
    }
}
