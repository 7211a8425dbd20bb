//! Requests no route takes: 405 with `Allow` when the path exists under other methods (each
//! resource knows its own), 404 otherwise.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use crate::error::ApiError;

/// 404 for every path no resource matches.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    ApiError::NotFound(format!("no route for {} {}", req.method(), req.path())).error_response()
}

/// 405 for a known path asked with a method it does not take, naming those it does.
pub fn method_not_allowed(req: &HttpRequest, allowed: &[&str]) -> HttpResponse {
    let methods = allowed.join(", ");
    let error = ApiError::MethodNotAllowed(format!(
        "{} is not allowed on {}; use {methods}",
        req.method(),
        req.path()
    ));
    let mut response = error.error_response();
    if let Ok(value) = header::HeaderValue::from_str(&methods) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}
