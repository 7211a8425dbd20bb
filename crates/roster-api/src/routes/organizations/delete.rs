//! `DELETE /v1/organizations/{org}`: close it, or with `force=true&confirm=<name>` delete it.

use actix_web::{delete, http::header, web, HttpResponse};
use roster_domain::{FieldError, OrgState, Permission};
use roster_store::{organizations, Ts};
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::Organization;
use super::view;
use super::write::write_change;
use crate::access::resolve_here;
use crate::error::ApiError;
use crate::extract::{Authenticated, IfMatch, Query};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteOrganizationQuery {
    /// Delete the organization and everything it owns instead of closing it.
    #[serde(default)]
    pub force: bool,
    /// With `force=true`: the organization's current name, to confirm.
    pub confirm: Option<String>,
}

/// What the request did.
enum Outcome {
    Closed(Box<roster_store::OrganizationRow>),
    Deleted,
}

/// Close or delete an organization
///
/// Closes it (200 with it, closed), or deletes it for good with `force=true&confirm=<name>`
/// (204). Closing twice is 409; a closed organization can still be deleted. Needs
/// `organization:delete`.
#[utoipa::path(
    tag = "organizations",
    params(("org" = String, Path, description = "Organization id or name"), DeleteOrganizationQuery),
    responses(
        (status = 200, description = "Closed", body = Organization, headers(("ETag" = String))),
        (status = 204, description = "Deleted with everything it owned"),
        (status = 409, description = "Already closed", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`force=true` without the matching `confirm`", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []), ("oauth2" = []))
)]
#[delete("/v1/organizations/{org}")]
pub async fn delete_organization(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    query: Query<DeleteOrganizationQuery>,
) -> Result<HttpResponse, ApiError> {
    let key = path.into_inner();
    let query = query.0;
    let outcome = state
        .run(move |db| {
            db.write(|conn| {
                let now = Ts::now();
                let (_, access) = resolve_here(conn, &auth, &key, now)?;
                access.require(Permission::OrganizationDelete)?;
                if_match.check(&view::etag(&access.org))?;
                let org = access.org;
                if query.force {
                    if query.confirm.as_deref() != Some(org.name.as_str()) {
                        return Err(ApiError::field(FieldError::new(
                            "confirm",
                            "mismatch",
                            "force=true needs confirm=<the organization's name>",
                        )));
                    }
                    organizations::delete(conn, org.id)?;
                    return Ok(Outcome::Deleted);
                }
                let closed = write_change(conn, org, if_match.is_present(), |before| {
                    let current = OrgState::parse(&before.state).unwrap_or(OrgState::Closed);
                    let mut row = before.clone();
                    row.state = current.transition_to(OrgState::Closed)?.as_str().to_owned();
                    row.closed_at = Some(now);
                    row.updated_at = now;
                    Ok(row)
                })?;
                Ok(Outcome::Closed(Box::new(closed)))
            })
        })
        .await?;
    Ok(match outcome {
        Outcome::Deleted => HttpResponse::NoContent().finish(),
        Outcome::Closed(org) => HttpResponse::Ok()
            .insert_header((header::ETAG, view::etag(&org)))
            .json(view::organization(&org)),
    })
}
