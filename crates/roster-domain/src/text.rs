//! Free-text and URL fields: trimmed, bounded, and never control or invisible characters.

use crate::invisible::find_invisible;
use crate::FieldError;

/// A required text field: trimmed, 1..=`max` characters.
pub fn required_text(raw: &str, field: &str, max: usize) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, "required", "must not be empty"));
    }
    bounded(text, field, max)
}

/// An optional text field: trimmed; an empty string counts as absent.
pub fn optional_text(
    raw: Option<&str>,
    field: &str,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => bounded(text, field, max).map(Some),
    }
}

/// An optional absolute `http`/`https` URL of at most 2048 characters.
pub fn optional_url(raw: Option<&str>, field: &str) -> Result<Option<String>, FieldError> {
    let Some(url) = optional_text(raw, field, 2048)? else {
        return Ok(None);
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty() && !host.starts_with('/') && !url.contains(char::is_whitespace) =>
        {
            Ok(Some(url))
        }
        _ => Err(FieldError::new(
            field,
            "invalid_format",
            "must be an absolute http or https URL",
        )),
    }
}

fn bounded(text: &str, field: &str, max: usize) -> Result<String, FieldError> {
    if text.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("must be at most {max} characters long"),
        ));
    }
    if let Some(c) = find_invisible(text, &['\n', '\t']) {
        return Err(FieldError::new(
            field,
            "invalid_format",
            format!(
                "must not contain invisible or control characters (found U+{:04X})",
                u32::from(c)
            ),
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_bounds_text() {
        assert_eq!(
            required_text("  Acme ", "display_name", 10).unwrap(),
            "Acme"
        );
        assert_eq!(
            required_text(" ", "display_name", 10).unwrap_err().code,
            "required"
        );
        assert_eq!(
            required_text("abcdefghijk", "display_name", 10)
                .unwrap_err()
                .code,
            "too_long"
        );
        assert_eq!(optional_text(Some(""), "description", 10).unwrap(), None);
    }

    #[test]
    fn urls_must_be_http() {
        assert!(optional_url(Some("https://acme.test/logo.png"), "logo_url")
            .unwrap()
            .is_some());
        for bad in [
            "ftp://acme.test",
            "acme.test",
            "https://",
            "javascript:alert(1)",
            "https://a b",
        ] {
            assert!(optional_url(Some(bad), "website").is_err(), "{bad}");
        }
    }
}
