//! `PATCH /v1/organizations/{org}`: merge patch, rename, state changes.

use actix_web::{http::header, patch, web, HttpResponse};
use roster_domain::{OrgState, Permission};
use roster_store::Ts;

use super::json::{Organization, UpdateOrganization};
use super::write::write_change;
use super::{patch::apply, view};
use crate::access::resolve_here;
use crate::error::ApiError;
use crate::extract::{Authenticated, IfMatch, JsonBody};
use crate::state::AppState;

/// Update an organization
///
/// A JSON merge patch. `state` may go `active` ↔ `inactive`, or to `closed`, which is final: a
/// closed organization refuses every change (409). Renaming keeps the former name resolving.
/// Honours `If-Match` (412).
#[utoipa::path(
    tag = "organizations",
    params(("org" = String, Path, description = "Organization id or name")),
    request_body(content(
        (UpdateOrganization = "application/merge-patch+json"),
        (UpdateOrganization = "application/json")
    )),
    responses(
        (status = 200, body = Organization, headers(("ETag" = String))),
        (status = 409, description = "Closed, or the new name or reference is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []), ("oauth2" = []))
)]
#[patch("/v1/organizations/{org}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<UpdateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let key = path.into_inner();
    let patch = body.0;
    let updated = state
        .run(move |db| {
            db.write(|conn| {
                let now = Ts::now();
                let (_, access) = resolve_here(conn, &auth, &key, now)?;
                access.require(Permission::OrganizationUpdate)?;
                if_match.check(&view::etag(&access.org))?;
                let conditional = if_match.is_present();
                write_change(conn, access.org.clone(), conditional, |before| {
                    let current = OrgState::parse(&before.state).unwrap_or(OrgState::Closed);
                    current.ensure_mutable()?;
                    let mut row = before.clone();
                    let requested = apply(&mut row, patch.clone()).map_err(ApiError::validation)?;
                    if let Some(next) = requested {
                        if next == OrgState::Closed {
                            access.require(Permission::OrganizationDelete)?;
                            row.closed_at = Some(now);
                        }
                        row.state = current.transition_to(next)?.as_str().to_owned();
                    }
                    row.updated_at = now;
                    Ok(row)
                })
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, view::etag(&updated)))
        .json(view::organization(&updated)))
}
