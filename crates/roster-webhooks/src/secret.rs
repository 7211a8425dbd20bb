//! An endpoint's signing secret: `whsec_` and the base64 of its random bytes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;

const PREFIX: &str = "whsec_";
/// Bytes in a secret Roster makes (the specification allows 24 to 64).
const GENERATED_LEN: usize = 32;
const MIN_LEN: usize = 24;
const MAX_LEN: usize = 64;

/// The key an endpoint's messages are signed with. No `Debug`: it must not reach a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("a webhook secret is whsec_ followed by the base64 of 24 to 64 bytes")]
    Malformed,
}

impl Secret {
    /// A new secret from the operating system's random source.
    pub fn generate() -> Secret {
        let mut bytes = vec![0u8; GENERATED_LEN];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Secret(bytes)
    }

    /// A secret from its text form (`whsec_…`).
    pub fn parse(text: &str) -> Result<Secret, SecretError> {
        let encoded = text.strip_prefix(PREFIX).ok_or(SecretError::Malformed)?;
        let bytes = STANDARD
            .decode(encoded)
            .map_err(|_| SecretError::Malformed)?;
        Self::from_bytes(bytes)
    }

    /// A secret from its raw bytes (as stored).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Secret, SecretError> {
        if (MIN_LEN..=MAX_LEN).contains(&bytes.len()) {
            Ok(Secret(bytes))
        } else {
            Err(SecretError::Malformed)
        }
    }

    /// The raw bytes: the HMAC key.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text form a receiver configures (`whsec_…`), shown once.
    pub fn reveal(&self) -> String {
        format!("{PREFIX}{}", STANDARD.encode(&self.0))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trips_through_its_text_form() {
        let secret = Secret::generate();
        let text = secret.reveal();
        assert!(text.starts_with("whsec_"));
        assert!(Secret::parse(&text).unwrap() == secret);
    }

    #[test]
    fn refuses_what_is_not_a_secret() {
        for bad in ["", "whsec_", "whsec_!!!", "sk_abc", "whsec_c2hvcnQ="] {
            assert!(Secret::parse(bad).is_err(), "{bad}");
        }
    }
}
