//! `GET /v1/users/{id}` (platform admins).

use crate::refusals::Refusals;
use actix_web::{web, HttpResponse};
use roster_core::users::GetUser;
use roster_domain::UserId;

use super::json::{respond, User};
use crate::error::ApiError;
use crate::extract::Call;

/// A user id from the path; anything else cannot name a user, so it is 404.
pub fn user_id(raw: &str) -> Result<UserId, ApiError> {
    UserId::parse(raw).ok_or_else(|| ApiError::not_found("user"))
}

/// Get a user (platform admins)
#[utoipa::path(
    get,
    path = "/v1/users/{id}",
    tag = "users",
    params(("id" = Uuid, Path, description = "The user id")),
    responses((status = 200, description = "The user", body = User, headers(("ETag" = String, description = "The user's version, for If-Match"))))
)]
pub async fn get_user(
    call: Call<GetUser>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let user = call
        .execute(GetUser {
            user: user_id(&path)?,
        })
        .await?;
    Ok(respond(HttpResponse::Ok(), &user))
}

impl Refusals for GetUser {}
