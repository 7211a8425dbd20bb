//! `If-Match` preconditions for optimistic concurrency.

use actix_web::dev::Payload;
use actix_web::{http::header, FromRequest, HttpRequest};
use futures_util::future::{ready, Ready};
use roster_core::Precondition;

use crate::error::ApiError;

/// The `If-Match` header as the precondition of a write: none when absent (last writer wins),
/// otherwise the listed entity tags (compared strongly; `*` matches any).
pub struct IfMatch(pub Precondition);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = req
            .headers()
            .get(header::IF_MATCH)
            .map(|v| v.to_str().map(str::to_owned));
        ready(match value {
            None => Ok(IfMatch(Precondition::none())),
            // An empty header names no entity tag: as if it were absent.
            Some(Ok(v)) if v.trim().is_empty() => Ok(IfMatch(Precondition::none())),
            Some(Ok(v)) => Ok(IfMatch(Precondition::matching(
                v.split(',').map(|tag| tag.trim().to_owned()).collect(),
            ))),
            Some(Err(_)) => Err(ApiError::BadRequest("If-Match is not valid text".into())),
        })
    }
}
