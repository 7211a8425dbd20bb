//! Every route, one module per area and one file per action.

pub mod auth;
pub mod docs;
pub mod health;
pub mod metrics;
pub mod organizations;
pub mod users;

use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    docs::configure(cfg);
    cfg.service(metrics::metrics);
    auth::configure(cfg);
    users::configure(cfg);
    organizations::configure(cfg);
    cfg.default_service(web::to(not_found));
}

async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!(
        "no route for {} {}",
        req.method(),
        req.path()
    )))
}
