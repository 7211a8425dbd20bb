//! Observes every request: gives it an id (the client's `X-Request-Id`, or a new UUIDv7)
//! echoed on the response, a tracing span that carries the id, one log line when it finishes,
//! and a sample in the request metrics.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use tracing::Instrument;

use crate::state::AppState;

pub const HEADER: &str = "x-request-id";

/// The path template of the resource that answered (`/v1/organizations/{org}`), for metrics;
/// set on each resource by the route registry.
pub struct RouteLabel(pub std::sync::Arc<str>);

/// The request's id, in its extensions, for whoever records what the request did.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The longest client request id Roster keeps (a UUID is 36 characters).
const REQUEST_ID_MAX: usize = 64;

/// The client's request id when it is a short, safe token (letters, digits, `-`, `_`, `.`,
/// `:`; at most 64), else a new UUIDv7: the id lands in logs and in the audit log, where a
/// client must not write what it likes.
fn request_id(sent: Option<&str>) -> String {
    let safe = |b: u8| b.is_ascii_alphanumeric() || b"-_.:".contains(&b);
    sent.filter(|v| !v.is_empty() && v.len() <= REQUEST_ID_MAX && v.bytes().all(safe))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string())
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = request_id(req.headers().get(HEADER).and_then(|v| v.to_str().ok()));
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.path(),
        status = tracing::field::Empty,
    );
    req.extensions_mut().insert(RequestId(id.clone()));
    let started = std::time::Instant::now();
    // Handler errors arrive here already turned into (problem) responses; only a failure
    // inside actix itself comes back as Err, and that passes through as it is.
    let mut response = next
        .call(req)
        .instrument(span.clone())
        .await?
        .map_into_boxed_body();
    let status = response.status().as_u16();
    span.record("status", status);
    if let Some(state) = response.request().app_data::<web::Data<AppState>>() {
        // The registry labels each of its resources; asking the router again for the pattern
        // costs a walk over every route (regular expressions included) on every request.
        let route = match response.request().app_data::<RouteLabel>() {
            Some(label) => label.0.to_string(),
            None => response
                .request()
                .match_pattern()
                .unwrap_or_else(|| "unmatched".to_owned()),
        };
        state.metrics.observe(
            response.request().method(),
            &route,
            status,
            started.elapsed(),
        );
    }
    span.in_scope(|| {
        tracing::info!(
            elapsed_us = started.elapsed().as_micros() as u64,
            "request finished"
        );
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(HEADER), value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::request_id;

    #[test]
    fn a_short_safe_id_is_kept_and_anything_else_replaced() {
        assert_eq!(request_id(Some("req-42_a.b:c")), "req-42_a.b:c");
        for unsafe_id in ["", "has space", "<script>", "quote\"", &"a".repeat(65)] {
            let id = request_id(Some(unsafe_id));
            assert_ne!(id, unsafe_id);
            assert!(uuid::Uuid::parse_str(&id).is_ok());
        }
    }
}
