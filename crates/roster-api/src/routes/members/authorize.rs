//! `POST /v1/organizations/{org}/authorize`.

use crate::refusals::Refusals;
use actix_web::{web, HttpResponse};
use roster_core::members::Authorize;
use roster_domain::UserId;

use super::json::{AuthorizeRequest, AuthorizeResponse};
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};
use crate::routes::organizations::org_key;

/// Ask whether someone may
///
/// One call answers an application's access question: may this user (the caller, by default;
/// asking about someone else needs `members:read`) do each of these things here? Catalogue
/// permissions and the application's own alike; a tag ending in `*` grants by prefix. Changes
/// nothing, so repeating it is safe.
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
        permissions: body.0.permissions,
    };
    let decision = call.execute(op).await?;
    Ok(HttpResponse::Ok().json(AuthorizeResponse::from(decision)))
}

impl Refusals for Authorize {}
