//! `GET /v1/organizations/{org}`, by id, name, or former name (308).

use actix_web::{get, http::header, web, HttpRequest, HttpResponse};
use roster_domain::Permission;
use roster_store::Ts;
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::Organization;
use super::view;
use crate::access::{resolve, Resolved};
use crate::error::ApiError;
use crate::extract::{Authenticated, Query};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GetOrganizationQuery {
    /// `members` embeds the first 100 members (needs `members:read`).
    pub expand: Option<Expand>,
}

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
    tag = "organizations",
    params(("org" = String, Path, description = "Organization id or name"), GetOrganizationQuery),
    responses(
        (status = 200, body = Organization, headers(("ETag" = String))),
        (status = 308, description = "A former name: follow Location to the organization", headers(("Location" = String))),
    ),
    security(("bearer" = []), ("oauth2" = []))
)]
#[get("/v1/organizations/{org}")]
pub async fn get_organization(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query<GetOrganizationQuery>,
) -> Result<HttpResponse, ApiError> {
    let key = path.into_inner();
    let expand = query.0.expand == Some(Expand::Members);
    let found = state
        .run(move |db| {
            db.read(|conn| match resolve(conn, &auth, &key, Ts::now())?.1 {
                Resolved::MovedTo(org) => Ok(Err(org)),
                Resolved::Here(access) => {
                    let json = if expand {
                        access.require(Permission::MembersRead)?;
                        view::with_members(conn, &access.org)?
                    } else {
                        view::organization(&access.org)
                    };
                    Ok::<_, ApiError>(Ok((view::etag(&access.org), json)))
                }
            })
        })
        .await?;
    match found {
        Ok((etag, json)) => Ok(HttpResponse::Ok()
            .insert_header((header::ETAG, etag))
            .json(json)),
        Err(org) => Ok(moved(&req, &org.name)),
    }
}

/// 308 to the organization's current name, keeping the query string.
pub fn moved(req: &HttpRequest, name: &str) -> HttpResponse {
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
