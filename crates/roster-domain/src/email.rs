use std::fmt;

use crate::invisible::is_invisible;
use crate::FieldError;

const MAX_LEN: usize = 254;

/// An email address, trimmed and lowercased so that uniqueness is case-insensitive.
///
/// Deliberately permissive: one `@`, a non-empty local part, a domain with a dot and no
/// whitespace. Deliverability is the mail server's business, not ours.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses an address; errors name `field` so callers can report `billing_email` etc.
    pub fn parse_field(raw: &str, field: &str) -> Result<Email, FieldError> {
        let address = raw.trim().to_lowercase();
        let invalid = || FieldError::new(field, "invalid_format", "must be an email address");
        if address.is_empty() || address.len() > MAX_LEN {
            return Err(invalid());
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(invalid());
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@');
        if local.is_empty()
            || !domain_ok
            || address
                .chars()
                .any(|c| c.is_whitespace() || is_invisible(c))
        {
            return Err(invalid());
        }
        Ok(Email(address))
    }

    pub fn parse(raw: &str) -> Result<Email, FieldError> {
        Email::parse_field(raw, "email")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_and_whitespace() {
        assert_eq!(
            Email::parse(" Ada@Example.TEST ").unwrap().as_str(),
            "ada@example.test"
        );
    }

    #[test]
    fn rejects_non_addresses() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.test",
            "ada@example",
            "a b@example.test",
            "a@b@c.test",
            "ada\u{202E}@example.test",
            "ada@exa\u{200B}mple.test",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
