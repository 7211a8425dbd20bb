//! `PATCH /v1/organizations/{org}`.

use crate::refusals::{conflict, forbidden, taken, Refusals};
use actix_web::{http::header, web, HttpResponse};
use roster_core::organizations as ops;
use roster_core::{Conflict, Forbidden};
use roster_domain::Permission;
use roster_domain::Unique;

use super::json::{Organization, UpdateOrganization};
use super::key::org_key;
use super::view;
use crate::error::ApiError;
use crate::extract::{Call, IfMatch, JsonBody};

/// Update an organization
///
/// A JSON merge patch. `state` may go `active` ↔ `inactive`, or to `closed`, which is final (and
/// needs `organization:delete`): a closed organization refuses every change (409). Renaming
/// keeps the former name resolving. Without `If-Match` the last writer wins; with it, a change
/// made since is 412.
#[utoipa::path(
    patch,
    path = "/v1/organizations/{org}",
    tag = "organizations",
    params(("org" = String, Path, description = "Organization id or name")),
    request_body(content = UpdateOrganization, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = Organization, headers(("ETag" = String, description = "The organization's new version"))),
        (status = 409, description = "Closed, or the new name or reference is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_organization(
    call: Call<ops::UpdateOrganization>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<UpdateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let op = ops::UpdateOrganization {
        organization: org_key(&path)?,
        patch: body.0.into(),
        precondition: if_match.0,
    };
    let updated = call.execute(op).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, updated.etag()))
        .json(view::organization(updated)))
}

impl Refusals for ops::UpdateOrganization {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::Missing(Permission::OrganizationDelete)),
            forbidden(Forbidden::OwnerOnly),
            forbidden(Forbidden::Policy("limits are set by platform admins")),
            conflict(Conflict::Closed),
            taken(Unique::OrganizationName),
            taken(Unique::OrganizationReference),
        ]
    }
}
