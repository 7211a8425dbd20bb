//! `POST /v1/organizations/{org}/authorize`.

use crate::refusals::Refusals;
use actix_web::{web, HttpResponse};
use roster_core::members::Authorize;
use roster_domain::NameOrId;
use roster_domain::{AccessLevel, FieldError, UserId};

use super::json::{AuthorizeRequest, AuthorizeResponse};
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};
use crate::routes::organizations::org_key;

/// Ask whether someone may
///
/// One call answers an application's access question: may this user (the caller, by default;
/// asking about someone else needs `members:read`) do each of these things here, and (with
/// `project`) does it have at least `project_access` to this project? Catalogue permissions and
/// the application's own alike; a tag ending in `*` grants by prefix. `allowed` is true only
/// when every permission and the project access hold. Changes nothing, so repeating it is safe.
///
/// A `project` the caller cannot see is answered exactly as one that does not exist (422, field
/// `project`, `not_found`): `authorize` never tells whether a private project is there.
#[utoipa::path(
    post,
    path = "/v1/organizations/{org}/authorize",
    tag = "members",
    params(("org" = String, Path, description = "Organization id or name")),
    request_body = AuthorizeRequest,
    responses((status = 200, description = "The answer", body = AuthorizeResponse))
)]
pub async fn authorize(
    call: Call<Authorize>,
    path: web::Path<String>,
    body: JsonBody<AuthorizeRequest>,
) -> Result<HttpResponse, ApiError> {
    let op = Authorize {
        organization: org_key(&path)?,
        user: body.0.user_id.map(UserId::from_uuid),
        project: match body.0.project {
            Some(project) => Some((
                NameOrId::parse(&project).ok_or_else(|| {
                    ApiError::field(FieldError::new(
                        "project",
                        "not_found",
                        "the organization has no such project",
                    ))
                })?,
                body.0.project_access.unwrap_or(AccessLevel::Reader),
            )),
            None => None,
        },
        permissions: body.0.permissions,
    };
    let decision = call.execute(op).await?;
    Ok(HttpResponse::Ok().json(AuthorizeResponse::from(decision)))
}

impl Refusals for Authorize {}
