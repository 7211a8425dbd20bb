//! `GET|PATCH /v1/users/me`: the caller's own profile.

use crate::refusals::{taken, Refusals};
use actix_web::HttpResponse;
use roster_core::users::{GetMe, UpdateMe as UpdateMeOp};
use roster_domain::Unique;

use super::json::{profile_changes, respond, UpdateMe, User};
use crate::error::ApiError;
use crate::extract::{Call, IfMatch, JsonBody};

/// Get your profile
#[utoipa::path(
    get,
    path = "/v1/users/me",
    tag = "users",
    responses((status = 200, description = "The caller", body = User, headers(("ETag" = String, description = "The user's version, for If-Match"))))
)]
pub async fn get_me(call: Call<GetMe>) -> Result<HttpResponse, ApiError> {
    let user = call.execute(GetMe).await?;
    Ok(respond(HttpResponse::Ok(), &user))
}

/// Update your profile
///
/// A merge patch of your name or email.
#[utoipa::path(
    patch,
    path = "/v1/users/me",
    tag = "users",
    request_body(content = UpdateMe, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = User, headers(("ETag" = String, description = "The user's new version"))),
        (status = 409, description = "The email is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_me(
    call: Call<UpdateMeOp>,
    if_match: IfMatch,
    body: JsonBody<UpdateMe>,
) -> Result<HttpResponse, ApiError> {
    let patch = body.0;
    let op = UpdateMeOp {
        changes: profile_changes(patch.name, patch.email)?,
        precondition: if_match.0,
    };
    let user = call.execute(op).await?;
    Ok(respond(HttpResponse::Ok(), &user))
}

impl Refusals for GetMe {}

impl Refusals for UpdateMeOp {
    fn refusals() -> Vec<ApiError> {
        vec![taken(Unique::UserEmail)]
    }
}
