//! `/healthz` (the process answers) and `/readyz` (and its database does too).

use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

/// How the server is.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` (alive) or `ready` (and its database answers).
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness
///
/// The process is up. Never touches the database.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "Alive", body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// Readiness
///
/// The database answers. 503 while it doesn't.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, description = "Ready", body = Health)))]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.core.ping().await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready" }))
}
