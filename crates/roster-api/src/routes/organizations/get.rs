//! `GET /v1/organizations/{org}`, by id, name, or former name (308).

use crate::refusals::Refusals;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use roster_core::organizations::{self as ops, Found};
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::Organization;
use super::key::org_key;
use super::view;
use crate::error::ApiError;
use crate::extract::{Call, Query};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GetOrganizationQuery {
    /// `members` embeds the first 100 members (needs `members:read`).
    pub expand: Option<Expand>,
}

/// What a read may embed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Expand {
    Members,
}

/// Get an organization
///
/// By id or name. A former name answers 308 to the current one; an organization the caller
/// may not see is 404.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}",
    tag = "organizations",
    params(("org" = String, Path, description = "Organization id or name"), GetOrganizationQuery),
    responses(
        (status = 200, description = "The organization", body = Organization, headers(("ETag" = String, description = "The organization's version, for If-Match"))),
        (status = 308, description = "A former name: follow Location to the organization", headers(("Location" = String, description = "The organization under its current name"))),
    )
)]
pub async fn get_organization(
    call: Call<ops::GetOrganization>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query<GetOrganizationQuery>,
) -> Result<HttpResponse, ApiError> {
    let op = ops::GetOrganization {
        organization: org_key(&path)?,
        expand_members: query.0.expand == Some(Expand::Members),
    };
    Ok(match call.execute(op).await? {
        Found::Here(found) => HttpResponse::Ok()
            .insert_header((header::ETAG, found.org.etag()))
            .json(view::organization_view(*found)),
        Found::Renamed { name } => moved(&req, &name),
    })
}

/// 308 to the organization's current name, keeping the query string.
fn moved(req: &HttpRequest, name: &str) -> HttpResponse {
    let query = req.query_string();
    let location = if query.is_empty() {
        format!("/v1/organizations/{name}")
    } else {
        format!("/v1/organizations/{name}?{query}")
    };
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, location))
        .finish()
}

impl Refusals for ops::GetOrganization {}
