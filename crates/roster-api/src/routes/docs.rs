//! The OpenAPI document at `/openapi.json` and Swagger UI at `/docs/` (vendored assets).

use actix_web::{get, http::header, web, HttpResponse};
use utoipa_swagger_ui::SwaggerUi;

use crate::openapi::api_doc;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(docs_redirect)
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", api_doc()));
}

#[get("/docs")]
async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}
