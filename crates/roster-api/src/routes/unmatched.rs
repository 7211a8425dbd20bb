//! Requests no route takes: 405 with `Allow` when the path exists under other methods, 404
//! otherwise.
//!
//! The OpenAPI document already lists every path and its methods, so it doubles as the route
//! table here; a route missing from the document would be caught by the OpenAPI tests.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use crate::error::ApiError;
use crate::openapi::api_doc;

/// A documented path as segments (`None` for a `{parameter}`), with its methods.
struct KnownPath {
    segments: Vec<Option<String>>,
    methods: Vec<&'static str>,
}

fn known_paths() -> &'static [KnownPath] {
    static PATHS: OnceLock<Vec<KnownPath>> = OnceLock::new();
    PATHS.get_or_init(|| {
        api_doc()
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .split('/')
                    .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
                    .collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(name, present)| present.then_some(name))
                .collect();
                KnownPath { segments, methods }
            })
            .collect()
    })
}

/// The methods a documented path allows, if `path` is one.
fn allowed_methods(path: &str) -> Option<&'static [&'static str]> {
    let wanted: Vec<&str> = path.split('/').collect();
    known_paths()
        .iter()
        .find(|known| {
            known.segments.len() == wanted.len()
                && known
                    .segments
                    .iter()
                    .zip(&wanted)
                    .all(|(segment, part)| match segment {
                        Some(literal) => literal == part,
                        None => !part.is_empty(),
                    })
        })
        .map(|known| known.methods.as_slice())
}

/// 404 for every path (the management listener's default).
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    ApiError::NotFound(format!("no route for {} {}", req.method(), req.path())).error_response()
}

pub async fn unmatched(req: HttpRequest) -> HttpResponse {
    match allowed_methods(req.path()) {
        Some(methods) => {
            let error = ApiError::MethodNotAllowed(format!(
                "{} is not allowed on {}; use {}",
                req.method(),
                req.path(),
                methods.join(", ")
            ));
            let mut response = error.error_response();
            if let Ok(value) = header::HeaderValue::from_str(&methods.join(", ")) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        None => ApiError::NotFound(format!("no route for {} {}", req.method(), req.path()))
            .error_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_methods_of_documented_paths() {
        assert_eq!(
            allowed_methods("/v1/organizations/acme"),
            Some(&["GET", "PATCH", "DELETE"][..])
        );
        assert_eq!(allowed_methods("/v1/auth/token"), Some(&["POST"][..]));
        assert_eq!(allowed_methods("/v1/organizations/acme/nope"), None);
        assert_eq!(
            allowed_methods("/v1/organizations/"),
            None,
            "an empty parameter is no match"
        );
    }
}
