use std::fmt;

use crate::FieldError;

/// Names that would collide with routes or confuse people; an organization may not take them.
pub const RESERVED_NAMES: &[&str] = &[
    "admin",
    "administrator",
    "api",
    "app",
    "auth",
    "billing",
    "docs",
    "help",
    "login",
    "logout",
    "me",
    "new",
    "null",
    "openapi",
    "organizations",
    "orgs",
    "root",
    "roster",
    "settings",
    "signup",
    "static",
    "support",
    "system",
    "undefined",
    "users",
    "v1",
    "v2",
    "www",
];

const MAX_LEN: usize = 63;

/// A websafe organization name: `^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`, not reserved and not
/// shaped like a UUID (so `/v1/organizations/{org}` is never ambiguous).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Slug, FieldError> {
        let invalid = |message: &str| FieldError::new("name", "invalid_format", message);
        if raw.is_empty() || raw.len() > MAX_LEN {
            return Err(FieldError::new(
                "name",
                "invalid_length",
                "must be 1 to 63 characters long",
            ));
        }
        let bytes = raw.as_bytes();
        let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
        if !bytes.iter().all(|&b| allowed(b)) {
            return Err(invalid(
                "may contain only lowercase letters, digits and hyphens",
            ));
        }
        if bytes[0] == b'-' || bytes[bytes.len() - 1] == b'-' {
            return Err(invalid("must start and end with a letter or digit"));
        }
        if uuid::Uuid::try_parse(raw).is_ok() {
            return Err(invalid("must not look like an id (UUID format)"));
        }
        if RESERVED_NAMES.contains(&raw) {
            return Err(FieldError::new("name", "reserved", "this name is reserved"));
        }
        Ok(Slug(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<&str> for Slug {
    type Error = FieldError;
    fn try_from(raw: &str) -> Result<Self, Self::Error> {
        Slug::parse(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_websafe_names() {
        for ok in ["a", "acme", "acme-inc", "a1", "0", &"a".repeat(63)] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_bad_names_with_a_code() {
        let cases = [
            ("", "invalid_length"),
            (&"a".repeat(64), "invalid_length"),
            ("Acme", "invalid_format"),
            ("-acme", "invalid_format"),
            ("acme-", "invalid_format"),
            ("ac me", "invalid_format"),
            ("acme_inc", "invalid_format"),
            ("0193a5c2-7b1e-7c3a-9d2e-0123456789ab", "invalid_format"),
            ("admin", "reserved"),
            ("new", "reserved"),
            ("me", "reserved"),
            ("v1", "reserved"),
        ];
        for (raw, code) in cases {
            let error = Slug::parse(raw).unwrap_err();
            assert_eq!(error.code, code, "{raw}");
            assert_eq!(error.field, "name");
        }
    }
}
