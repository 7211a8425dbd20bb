//! `POST /v1/auth/revoke`: sign out a session by revoking its refresh token (RFC 7009).

use actix_web::{post, web, HttpResponse};
use roster_auth::hash_secret;
use roster_store::{refresh_tokens, Ts};

use super::json::RevokeRequest;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::state::AppState;

/// Revoke a refresh token (sign out)
///
/// Revokes the token and every token rotated from the same sign-in. Answers 204 whether or not the token was known, as RFC 7009 asks, so the endpoint cannot
/// be used to probe for valid tokens.
#[utoipa::path(
    tag = "auth",
    request_body = RevokeRequest,
    responses((status = 204, description = "Revoked (or never valid)"))
)]
#[post("/v1/auth/revoke")]
pub async fn revoke_token(
    state: web::Data<AppState>,
    body: JsonBody<RevokeRequest>,
) -> Result<HttpResponse, ApiError> {
    let hash = hash_secret(&body.0.token);
    state
        .run(move |db| {
            db.write(|conn| {
                if let Some(row) = refresh_tokens::find_by_hash(conn, &hash)? {
                    refresh_tokens::revoke_family(conn, row.family_id, Ts::now())?;
                }
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
