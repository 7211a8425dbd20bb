//! `Reply`: a response as plain data (status, headers, body). Handlers of operations that honour
//! `Idempotency-Key` build their answer as a `Reply` from the operation's output, on the
//! blocking thread and inside the operation's transaction, so that the stored copy of the
//! response commits together with the change it tells of.

use actix_web::http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use roster_core::idempotency::StoredResponse;
use serde::Serialize;

pub struct Reply(pub(crate) StoredResponse);

impl Reply {
    /// `status` with `body` as JSON.
    pub fn json(status: StatusCode, body: &impl Serialize) -> Reply {
        Reply(StoredResponse {
            status: status.as_u16(),
            headers: vec![(
                CONTENT_TYPE.as_str().to_owned(),
                "application/json".to_owned(),
            )],
            body: serde_json::to_vec(body).unwrap_or_default(),
        })
    }

    /// `status` without a body (202 Accepted, 204 No Content).
    pub fn empty(status: StatusCode) -> Reply {
        Reply(StoredResponse {
            status: status.as_u16(),
            headers: Vec::new(),
            body: Vec::new(),
        })
    }

    /// The same, with one more header (`Location`, `ETag`).
    pub fn header(mut self, name: HeaderName, value: impl Into<String>) -> Reply {
        self.0
            .headers
            .push((name.as_str().to_owned(), value.into()));
        self
    }

    pub fn into_response(self) -> HttpResponse {
        into_response(self.0, false)
    }
}

/// The HTTP response for a stored one; `replayed` marks it `Idempotent-Replayed: true`.
pub(crate) fn into_response(stored: StoredResponse, replayed: bool) -> HttpResponse {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    for (name, value) in stored.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_str(&value)) {
            response.insert_header((name, value));
        }
    }
    if replayed {
        response.insert_header((
            HeaderName::from_static("idempotent-replayed"),
            HeaderValue::from_static("true"),
        ));
    }
    response.body(stored.body)
}
