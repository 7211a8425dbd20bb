//! `GET /metrics`: Prometheus text format.

use actix_web::{get, web, HttpResponse};

use crate::state::AppState;

/// Prometheus metrics: request counts and latencies per route, and the database pool. Served on
/// the management listener only, so it is not part of the public API's document.
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(state.core.pool_state()))
}
