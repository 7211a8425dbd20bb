use std::fmt;

use crate::FieldError;

const MIN_CHARS: usize = 8;
/// Bounds the work argon2 does for one request; longer passphrases add nothing.
const MAX_CHARS: usize = 1024;

/// A plaintext password that met the policy. Its `Debug` never shows the secret.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse_field(raw: String, field: &str) -> Result<Password, FieldError> {
        let chars = raw.chars().count();
        if chars < MIN_CHARS {
            return Err(FieldError::new(
                field,
                "too_short",
                format!("must be at least {MIN_CHARS} characters long"),
            ));
        }
        if chars > MAX_CHARS {
            return Err(FieldError::new(
                field,
                "too_long",
                format!("must be at most {MAX_CHARS} characters long"),
            ));
        }
        Ok(Password(raw))
    }

    pub fn parse(raw: String) -> Result<Password, FieldError> {
        Password::parse_field(raw, "password")
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_length_and_hides_secret() {
        assert_eq!(
            Password::parse("short".into()).unwrap_err().code,
            "too_short"
        );
        let password = Password::parse("long enough".into()).unwrap();
        assert!(!format!("{password:?}").contains("long enough"));
    }
}
