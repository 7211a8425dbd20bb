//! `If-Match` preconditions for optimistic concurrency.

use actix_web::dev::Payload;
use actix_web::{http::header, FromRequest, HttpRequest};
use futures_util::future::{ready, Ready};

use crate::error::ApiError;

/// The `If-Match` header, if the client sent one.
pub struct IfMatch(Option<String>);

impl IfMatch {
    /// Whether the client asked for a conditional write at all.
    pub fn is_present(&self) -> bool {
        self.0.is_some()
    }

    /// Fails with 412 unless the header is absent, `*`, or lists `current`.
    pub fn check(&self, current: &str) -> Result<(), ApiError> {
        let Some(header) = &self.0 else {
            return Ok(());
        };
        let matches = header
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag == current);
        if matches {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed(format!(
                "If-Match {header} does not match the current ETag {current}"
            )))
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = req
            .headers()
            .get(header::IF_MATCH)
            .map(|v| v.to_str().map(str::to_owned));
        ready(match value {
            None => Ok(IfMatch(None)),
            // An empty header names no entity tag: as if it were absent.
            Some(Ok(v)) if v.trim().is_empty() => Ok(IfMatch(None)),
            Some(Ok(v)) => Ok(IfMatch(Some(v))),
            Some(Err(_)) => Err(ApiError::BadRequest("If-Match is not valid text".into())),
        })
    }
}
