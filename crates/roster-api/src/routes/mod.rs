//! Every route, one module per area and one file per action.

pub mod auth;
pub mod docs;
pub mod health;
pub mod metrics;
pub mod organizations;
mod unmatched;
pub mod users;

use actix_web::web;

/// The API listener: everything but the metrics (load balancers still get `/healthz` and
/// `/readyz` here).
pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    docs::configure(cfg);
    auth::configure(cfg);
    users::configure(cfg);
    organizations::configure(cfg);
    cfg.default_service(web::to(unmatched::unmatched));
}

/// The management listener (`--management-listen`): metrics and health.
pub fn configure_management(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    cfg.service(metrics::metrics);
    cfg.default_service(web::to(unmatched::not_found));
}
