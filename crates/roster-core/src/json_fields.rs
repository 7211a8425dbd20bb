//! Turning serde's complaints about a JSON value into field errors a client can act on.

use roster_domain::FieldError;

/// Turns serde's message into a field error: the path where it happened, and a code.
pub fn field_error(path: &str, message: &str) -> FieldError {
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned();
    let quoted = message.split('`').nth(1).map(str::to_owned);
    let join = |leaf: &str| {
        if path.is_empty() || path == "." {
            leaf.to_owned()
        } else {
            format!("{path}.{leaf}")
        }
    };
    if message.starts_with("unknown field") {
        // serde_path_to_error's path already ends at the unknown key; other callers pass the parent.
        let key = quoted.unwrap_or_else(|| "?".into());
        let field = if path == key || path.ends_with(&format!(".{key}")) {
            path.to_owned()
        } else {
            join(&key)
        };
        return FieldError::new(field, "unknown_field", message);
    }
    if message.starts_with("missing field") {
        let field = join(quoted.as_deref().unwrap_or("?"));
        return FieldError::new(field, "required", message);
    }
    let field = if path.is_empty() || path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    FieldError::new(field, "invalid_type", message)
}

/// Reads `value` as `T`, reporting a mismatch as a field error under `field`.
pub fn value_as<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    field: &str,
) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let at = if path.is_empty() || path == "." {
            field.to_owned()
        } else {
            format!("{field}.{path}")
        };
        field_error(&at, &error.into_inner().to_string())
    })
}
