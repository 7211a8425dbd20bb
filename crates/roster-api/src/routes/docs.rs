//! The OpenAPI document at `/openapi.json` and Swagger UI at `/docs/` (vendored assets).

use actix_web::{get, http::header, web, HttpResponse};
use utoipa_swagger_ui::SwaggerUi;

use crate::openapi::api_doc;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(docs_redirect)
        .service(initializer)
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", api_doc()));
}

/// Our own set-up of Swagger UI (see the file for what it changes), served before the stock one.
#[get("/docs/swagger-initializer.js")]
async fn initializer() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript; charset=utf-8")
        .body(include_str!("swagger-initializer.js"))
}

#[get("/docs")]
async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}
