//! `DELETE /v1/users/me` and `DELETE /v1/users/{id}`: deleting an account.

use crate::refusals::{conflict, too_many_attempts, Refusals};
use actix_web::{web, HttpResponse};
use roster_core::accounts::{DeleteMe, DeleteUser};
use roster_core::Conflict;

use super::get::user_id;
use super::json;
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};

fn last_owner() -> ApiError {
    conflict(Conflict::LastOwnerOf("acme-inc".into()))
}

/// Delete your account
///
/// With your current password. You leave every organization (409 `last-owner`, naming the
/// organization, while you are the last active owner of an open one: make someone else owner
/// there first); your personal organization is deleted; your sessions, API keys and the
/// invitations you sent end, and invitations waiting for your address are withdrawn. Your
/// personal data is erased: the audit log keeps your id, never your address (`user.deleted`).
/// Wrong passwords count towards login throttling.
#[utoipa::path(
    delete,
    path = "/v1/users/me",
    tag = "users",
    request_body = json::DeleteMe,
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "The last owner of an organization", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_me(
    call: Call<DeleteMe>,
    body: JsonBody<json::DeleteMe>,
) -> Result<HttpResponse, ApiError> {
    call.perform(DeleteMe {
        password: body.0.password,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Delete a user (platform admins)
///
/// As `DELETE /v1/users/me` does, without the password: refused (409) while the user is the
/// last active owner of an open organization, or the last active platform admin.
#[utoipa::path(
    delete,
    path = "/v1/users/{id}",
    tag = "users",
    params(("id" = Uuid, Path, description = "The user id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "The last owner of an organization, or the last platform admin", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_user(
    call: Call<DeleteUser>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    call.execute(DeleteUser {
        user: user_id(&path)?,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for DeleteMe {
    fn refusals() -> Vec<ApiError> {
        vec![last_owner(), too_many_attempts()]
    }
}

impl Refusals for DeleteUser {
    fn refusals() -> Vec<ApiError> {
        vec![last_owner(), conflict(Conflict::LastPlatformAdmin)]
    }
}
