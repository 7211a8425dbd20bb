//! JSON parsing that refuses a key repeated within one object.
//!
//! RFC 8259 leaves duplicate names to the parser, and serde_json keeps the last one. A client
//! sending `{"password": "a", "password": "b"}` (or a proxy or a logging layer reading the first
//! while we read the last) must not be silently guessed at: the body is malformed, 400.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::{Map, Number, Value};

use crate::error::ApiError;

/// Parses `bytes` into a JSON value; a syntax error or a repeated key is a 400 naming where.
pub fn parse_distinct_keys(bytes: &[u8]) -> Result<Value, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| {
            let path = error.path().to_string();
            let inner = error.into_inner();
            let at = if path.is_empty() || path == "." {
                String::new()
            } else {
                format!(" in {path}")
            };
            match inner.classify() {
                serde_json::error::Category::Data => {
                    ApiError::BadRequest(format!("malformed JSON: {inner}{at}"))
                }
                _ => ApiError::BadRequest(format!("malformed JSON: {inner}")),
            }
        })
        .map(|DistinctKeys(value)| value)?;
    deserializer
        .end()
        .map_err(|e| ApiError::BadRequest(format!("malformed JSON: {e}")))?;
    Ok(value)
}

/// A `serde_json::Value` whose objects never repeat a key.
struct DistinctKeys(Value);

impl<'de> de::Deserialize<'de> for DistinctKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(DistinctKeys)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(DistinctKeys(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!("the key {key:?} appears twice")));
            }
            let DistinctKeys(value) = map.next_value_seed(Seed)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

struct Seed;

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = DistinctKeys;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<DistinctKeys, D::Error> {
        de::Deserialize::deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_value_shape() {
        let text = r#"{"a":[1,-2,3.5,"x",null,true,{"b":{}}],"c":18446744073709551615}"#;
        let value = parse_distinct_keys(text.as_bytes()).unwrap();
        assert_eq!(value, serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn refuses_a_repeated_key_at_any_depth() {
        for text in [
            r#"{"password":"a","password":"b"}"#,
            r#"{"members":[{"email":"a","email":"b"}]}"#,
        ] {
            assert!(
                matches!(
                    parse_distinct_keys(text.as_bytes()),
                    Err(ApiError::BadRequest(_))
                ),
                "{text}"
            );
        }
        assert!(parse_distinct_keys(br#"{"a":{"k":1},"b":{"k":2}}"#).is_ok());
    }

    #[test]
    fn trailing_text_is_malformed() {
        assert!(parse_distinct_keys(b"{} {}").is_err());
    }
}
