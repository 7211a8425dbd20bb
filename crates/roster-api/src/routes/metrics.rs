//! `GET /metrics`: Prometheus text format.

use actix_web::{get, web, HttpResponse};

use crate::state::AppState;

/// Prometheus metrics
///
/// Request counts and latencies per route, and the database pool.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Prometheus text exposition format", content_type = "text/plain; version=0.0.4", body = String))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(state.db.pool_state()))
}
