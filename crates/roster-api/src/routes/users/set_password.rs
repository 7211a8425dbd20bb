//! `PUT /v1/users/{id}/password` (platform admins).

use crate::refusals::Refusals;
use actix_web::{web, HttpResponse};
use roster_core::accounts::SetPassword;
use roster_domain::Password;

use super::get::user_id;
use super::json;
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};

/// Set a user's password (platform admins)
///
/// For someone who cannot reset their own. Every session of the user ends, and they are told
/// by mail. A signed-in platform admin only, never an API key.
#[utoipa::path(
    put,
    path = "/v1/users/{id}/password",
    tag = "users",
    params(("id" = Uuid, Path, description = "The user id")),
    request_body = json::SetPassword,
    responses((status = 204, description = "Set; the user's sessions ended"))
)]
pub async fn set_password(
    call: Call<SetPassword>,
    path: web::Path<String>,
    body: JsonBody<json::SetPassword>,
) -> Result<HttpResponse, ApiError> {
    let op = SetPassword {
        user: user_id(&path)?,
        password: Password::parse_field(body.0.password, "password")?,
    };
    call.perform(op).await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for SetPassword {}
