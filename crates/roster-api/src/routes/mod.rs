//! Every route, one module per area and one file per action.

pub mod auth;
pub mod docs;
pub mod health;
pub mod metrics;
pub mod organizations;
mod unmatched;
pub mod users;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    docs::configure(cfg);
    cfg.service(metrics::metrics);
    auth::configure(cfg);
    users::configure(cfg);
    organizations::configure(cfg);
    cfg.default_service(web::to(unmatched::unmatched));
}
