use actix_web::{http::header, web, HttpResponse};

use crate::error::ApiError;
use crate::state::AppState;

/// Get the token-verification keys (JWKS)
///
/// The public keys that verify Roster's access tokens, for other services.
#[utoipa::path(
    get,
    path = "/.well-known/jwks.json",
    tag = "auth",
    responses((status = 200, description = "A JSON Web Key Set of Ed25519 keys", content_type = "application/json", body = super::json::Jwks))
)]
pub async fn get_jwks(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(state.core.keys()?.jwks()))
}
