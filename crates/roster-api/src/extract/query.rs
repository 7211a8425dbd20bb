//! `Query<T>`: query-string parameters; a value outside the documented set is a 400.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::{ready, Ready};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Databases refuse NUL in text; refuse it here, as the client's mistake it is.
        if req.query_string().to_ascii_lowercase().contains("%00") {
            return ready(Err(ApiError::BadRequest(
                "query parameters must not contain NUL bytes".into(),
            )));
        }
        ready(
            serde_urlencoded::from_str::<T>(req.query_string())
                .map(Query)
                .map_err(|e| ApiError::BadRequest(format!("invalid query string: {e}"))),
        )
    }
}

/// Reads an optional number or boolean from a query parameter.
///
/// Query structs that `#[serde(flatten)]` the shared pagination parameters receive every value
/// as a string (serde buffers flattened maps untyped), so typed fields parse it themselves.
/// Use with `#[serde(default, deserialize_with = "from_query_text")]`.
pub fn from_query_text<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text: Option<String> = serde::Deserialize::deserialize(deserializer)?;
    text.map(|t| {
        t.parse::<T>()
            .map_err(|e| serde::de::Error::custom(format!("{t:?}: {e}")))
    })
    .transpose()
}
