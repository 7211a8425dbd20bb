use serde_json::Value;

use crate::FieldError;

/// `custom` may hold at most this many bytes once serialized.
pub const CUSTOM_MAX_BYTES: usize = 16 * 1024;
/// …and nest at most this many levels (the top-level object is level 1).
pub const CUSTOM_MAX_DEPTH: usize = 5;

/// Checks an organization's `custom` data: a JSON object, ≤ 16 KiB serialized, ≤ 5 levels deep.
pub fn validate_custom(value: &Value) -> Result<(), FieldError> {
    if !value.is_object() {
        return Err(FieldError::new(
            "custom",
            "invalid_type",
            "must be a JSON object",
        ));
    }
    if has_nul(value) {
        return Err(FieldError::new(
            "custom",
            "invalid_format",
            "must not contain NUL characters",
        ));
    }
    if depth(value) > CUSTOM_MAX_DEPTH {
        return Err(FieldError::new(
            "custom",
            "too_deep",
            format!("may nest at most {CUSTOM_MAX_DEPTH} levels"),
        ));
    }
    let size = serde_json::to_vec(value)
        .map(|bytes| bytes.len())
        .unwrap_or(usize::MAX);
    if size > CUSTOM_MAX_BYTES {
        return Err(FieldError::new(
            "custom",
            "too_large",
            format!("must be at most {CUSTOM_MAX_BYTES} bytes serialized"),
        ));
    }
    Ok(())
}

/// PostgreSQL's jsonb cannot store `\u0000`, in keys or in values.
fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Object(map) => map
            .iter()
            .any(|(key, inner)| key.contains('\0') || has_nul(inner)),
        Value::Array(items) => items.iter().any(has_nul),
        _ => false,
    }
}

/// Nesting depth, counting only objects and arrays (a scalar adds no level).
fn depth(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_a_small_object() {
        assert!(validate_custom(&json!({"plan": "gold", "seats": [1, 2]})).is_ok());
    }

    #[test]
    fn rejects_non_objects_deep_and_large_values() {
        assert_eq!(
            validate_custom(&json!([1])).unwrap_err().code,
            "invalid_type"
        );
        let five = json!({"a": {"b": {"c": {"d": {"e": 1}}}}});
        assert!(validate_custom(&five).is_ok());
        let six = json!({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}});
        assert_eq!(validate_custom(&six).unwrap_err().code, "too_deep");
        let large = json!({"blob": "x".repeat(CUSTOM_MAX_BYTES)});
        assert_eq!(validate_custom(&large).unwrap_err().code, "too_large");
        assert_eq!(
            validate_custom(&json!({"a": "x\0"})).unwrap_err().code,
            "invalid_format"
        );
        assert_eq!(
            validate_custom(&json!({"a\0": 1})).unwrap_err().code,
            "invalid_format"
        );
    }
}
