//! `JsonBody<T>`: a JSON (or merge-patch) body of at most 1 MiB, with errors a client can act on:
//! 415 for another content type, 413 when too large, 400 for malformed JSON, 422 naming the
//! field for unknown, missing or mistyped fields.

use actix_web::dev::Payload;
use actix_web::{http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use super::distinct_keys::parse_distinct_keys;

use crate::config::DEFAULT_BODY_READ_TIMEOUT;
use crate::error::ApiError;
use crate::state::AppState;

pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = check_json_content_type(req);
        let body = read_body(req, payload.take());
        Box::pin(async move {
            content_type?;
            let bytes = body.await?;
            parse_json(&bytes).map(JsonBody)
        })
    }
}

fn check_json_content_type(req: &HttpRequest) -> Result<(), ApiError> {
    match media_type(req).as_deref() {
        Some("application/json") | Some("application/merge-patch+json") => Ok(()),
        Some(other) => Err(ApiError::UnsupportedMediaType(format!(
            "expected application/json, got {other}"
        ))),
        None => Err(ApiError::UnsupportedMediaType(
            "expected a Content-Type of application/json".into(),
        )),
    }
}

/// The request's media type, lowercased and without parameters (`charset=…`).
pub fn media_type(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
}

/// Reads the whole body, refusing it as soon as it passes the limit, and answering 408 (and
/// closing the connection) when it has not all arrived within the server's body read timeout,
/// so a client that stops sending cannot hold a connection and its buffer forever.
pub fn read_body(
    req: &HttpRequest,
    payload: Payload,
) -> LocalBoxFuture<'static, Result<web::BytesMut, ApiError>> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let timeout = req
        .app_data::<web::Data<AppState>>()
        .map_or(DEFAULT_BODY_READ_TIMEOUT, |state| state.body_read_timeout);
    let mut payload = payload;
    Box::pin(async move {
        if declared.is_some_and(|len| len > MAX_BODY_BYTES) {
            return Err(ApiError::PayloadTooLarge(MAX_BODY_BYTES));
        }
        let read = async move {
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk
                    .map_err(|e| ApiError::BadRequest(format!("could not read the body: {e}")))?;
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(ApiError::PayloadTooLarge(MAX_BODY_BYTES));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(body)
        };
        tokio::time::timeout(timeout, read)
            .await
            .unwrap_or(Err(ApiError::RequestTimeout(timeout.as_secs())))
    })
}

/// Deserializes JSON: a syntax error or a key repeated within one object is 400, then a field
/// error is 422 naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value = parse_distinct_keys(bytes)?;
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        ApiError::field(field_error(&path, &error.into_inner().to_string()))
    })
}

/// Turns serde's message into a field error (the path where it happened, and a code).
pub use roster_core::json_fields::field_error;

/// For merge-patch fields: absent → `None`, `null` → `Some(None)`, a value → `Some(Some(v))`.
/// Use with `#[serde(default, deserialize_with = "double_option")]`.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// For merge-patch fields that cannot be cleared: absent → `None`, a value → `Some(v)`, and an
/// explicit `null` is a 422 naming the field. Use with
/// `#[serde(default, deserialize_with = "not_null")]`.
pub fn not_null<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    match Option::<T>::deserialize(deserializer)? {
        Some(value) => Ok(Some(value)),
        None => Err(serde::de::Error::custom("must not be null")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        #[serde(default)]
        nested: Option<Nested>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Nested {
        city: Option<String>,
    }

    fn errors(result: Result<Sample, ApiError>) -> (String, String) {
        match result {
            Err(ApiError::Validation { errors, .. }) => {
                (errors[0].field.clone(), errors[0].code.to_owned())
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn names_unknown_and_missing_fields() {
        assert_eq!(
            errors(parse_json(br#"{"name":"a","colour":1}"#)),
            ("colour".into(), "unknown_field".into())
        );
        assert_eq!(
            errors(parse_json(br#"{}"#)),
            ("name".into(), "required".into())
        );
        assert_eq!(
            errors(parse_json(br#"{"name":"a","nested":{"town":"x"}}"#)),
            ("nested.town".into(), "unknown_field".into())
        );
        assert_eq!(
            errors(parse_json(br#"{"name":5}"#)),
            ("name".into(), "invalid_type".into())
        );
    }

    #[test]
    fn a_repeated_key_is_a_bad_request_naming_it() {
        match parse_json::<Sample>(br#"{"name":"a","nested":{"city":"x","city":"y"}}"#) {
            Err(ApiError::BadRequest(detail)) => {
                assert!(
                    detail.contains("\"city\"") && detail.contains("nested"),
                    "{detail}"
                )
            }
            other => panic!("expected a bad request, got {other:?}"),
        }
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        assert!(matches!(
            parse_json::<Sample>(b"{\"name\":"),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            parse_json::<Sample>(b"{} trailing"),
            Err(ApiError::BadRequest(_))
        ));
    }
}
