use actix_web::{get, http::header, web, HttpResponse};

use crate::state::AppState;

/// Get the token-verification keys (JWKS)
///
/// The public keys that verify Roster's access tokens, for other services.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "A JSON Web Key Set of Ed25519 keys", content_type = "application/json", body = Object))
)]
#[get("/.well-known/jwks.json")]
pub async fn get_jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(state.keys.jwks())
}
