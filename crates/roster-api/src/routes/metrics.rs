//! `GET /metrics`: the OpenMetrics text format, which Prometheus scrapes.

use actix_web::{get, web, HttpResponse};

use crate::state::AppState;

/// Prometheus metrics: requests, the database pool and the time spent in it, sign-ins,
/// webhook attempts and backlog, the process. Served on the management listener only, so it is not part of the public API's
/// document.
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    // Without the database, the backlog is unknown: the rest is still worth a scrape.
    let oldest_pending = state
        .core
        .oldest_pending_delivery_age()
        .await
        .ok()
        .flatten();
    HttpResponse::Ok()
        .content_type(crate::metrics::CONTENT_TYPE)
        .body(
            state
                .metrics
                .render(state.core.database_state(), oldest_pending),
        )
}
