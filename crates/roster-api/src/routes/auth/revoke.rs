//! `POST /v1/auth/revoke`: sign out a session by revoking its refresh token (RFC 7009).

use crate::refusals::Refusals;
use actix_web::HttpResponse;
use roster_core::sessions::SignOut;

use super::json::RevokeRequest;
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};

/// Revoke a refresh token (sign out)
///
/// Revokes the token and every token rotated from the same sign-in. Answers 204 whether or not
/// the token was known, as RFC 7009 asks, so the endpoint cannot be used to probe for valid
/// tokens.
#[utoipa::path(
    post,
    path = "/v1/auth/revoke",
    tag = "auth",
    request_body = RevokeRequest,
    responses((status = 204, description = "Revoked (or never valid)"))
)]
pub async fn revoke_token(
    call: Call<SignOut>,
    body: JsonBody<RevokeRequest>,
) -> Result<HttpResponse, ApiError> {
    call.execute(SignOut {
        refresh_token: body.0.token,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for SignOut {}
