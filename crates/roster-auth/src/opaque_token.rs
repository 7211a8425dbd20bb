//! Refresh tokens and API keys: random secrets stored only as SHA-256 hashes.
//!
//! They carry 256 bits of entropy, so a fast hash is enough (no dictionary to
//! attack) and lets them be checked on every request; argon2 would cost 20 ms
//! each time for no gain. A leaked database table yields no usable secret.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Visible prefix of API keys, so people and secret scanners can tell what a
/// leaked string is, and so `Authorization` values can be told from JWTs.
pub const API_KEY_PREFIX: &str = "rst_";

/// Visible prefix of refresh tokens.
pub const REFRESH_TOKEN_PREFIX: &str = "rrt_";

/// Visible prefix of invitation tokens.
pub const INVITATION_TOKEN_PREFIX: &str = "rsi_";

/// Visible prefix of email-verification tokens (mailed links).
pub const VERIFICATION_TOKEN_PREFIX: &str = "rsv_";

/// Visible prefix of password-reset tokens (mailed links).
pub const PASSWORD_RESET_TOKEN_PREFIX: &str = "rsp_";

/// Random bytes in each secret.
const SECRET_BYTES: usize = 32;
/// Length of 32 bytes in base64url without padding.
const SECRET_CHARS: usize = 43;
/// Characters of the plaintext kept as the displayable prefix: the 4-char
/// type prefix plus 8 random characters (48 bits), enough to tell keys apart
/// in a list and far too little to help guess one.
const DISPLAY_PREFIX_CHARS: usize = 12;

/// A newly minted secret. Store `hash` (and `prefix` for display); hand
/// `plaintext` to the user once and forget it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewSecret {
    /// The secret itself, e.g. `rst_…`. Shown once, never stored.
    pub plaintext: String,
    /// SHA-256 of `plaintext` (32 bytes), what the database keeps.
    pub hash: Vec<u8>,
    /// First 12 characters of `plaintext`, safe to display and store.
    pub prefix: String,
}

/// The plaintext stays out of logs.
impl fmt::Debug for NewSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSecret")
            .field("plaintext", &"[redacted]")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// Mints a refresh token: `rrt_` followed by 32 random bytes in base64url.
pub fn new_refresh_token() -> NewSecret {
    new_secret(REFRESH_TOKEN_PREFIX)
}

/// Mints an API key: `rst_` followed by 32 random bytes in base64url.
pub fn new_api_key() -> NewSecret {
    new_secret(API_KEY_PREFIX)
}

/// Mints an invitation token: `rsi_` followed by 32 random bytes in base64url.
pub fn new_invitation_token() -> NewSecret {
    new_secret(INVITATION_TOKEN_PREFIX)
}

/// Mints an email-verification token: `rsv_` followed by 32 random bytes in base64url.
pub fn new_verification_token() -> NewSecret {
    new_secret(VERIFICATION_TOKEN_PREFIX)
}

/// Mints a password-reset token: `rsp_` followed by 32 random bytes in base64url.
pub fn new_password_reset_token() -> NewSecret {
    new_secret(PASSWORD_RESET_TOKEN_PREFIX)
}

/// SHA-256 of a presented secret, to look it up by hash.
pub fn hash_secret(plaintext: &str) -> Vec<u8> {
    Sha256::digest(plaintext.as_bytes()).to_vec()
}

/// Compares two byte strings without leaking, through timing, how many
/// leading bytes match (the length is not hidden).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Whether `s` has the shape of an API key (`rst_` + 43 base64url
/// characters), so a bearer value can be routed to the API-key check without
/// trying it as a JWT, and typos are rejected without a database lookup.
pub fn looks_like_api_key(s: &str) -> bool {
    looks_like(API_KEY_PREFIX, s)
}

/// Whether `s` has the shape of an invitation token (`rsi_` + 43 base64url characters).
pub fn looks_like_invitation_token(s: &str) -> bool {
    looks_like(INVITATION_TOKEN_PREFIX, s)
}

/// Whether `s` has the shape of an email-verification token.
pub fn looks_like_verification_token(s: &str) -> bool {
    looks_like(VERIFICATION_TOKEN_PREFIX, s)
}

/// Whether `s` has the shape of a password-reset token.
pub fn looks_like_password_reset_token(s: &str) -> bool {
    looks_like(PASSWORD_RESET_TOKEN_PREFIX, s)
}

fn looks_like(prefix: &str, s: &str) -> bool {
    s.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == SECRET_CHARS
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

fn new_secret(type_prefix: &str) -> NewSecret {
    let mut bytes = [0u8; SECRET_BYTES];
    // OsRng only fails if the OS cannot supply randomness at all, and then no
    // secret can be minted safely anyway.
    OsRng.fill_bytes(&mut bytes);
    let plaintext = format!("{type_prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
    NewSecret {
        hash: hash_secret(&plaintext),
        prefix: plaintext.chars().take(DISPLAY_PREFIX_CHARS).collect(),
        plaintext,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_token_has_its_prefix_and_43_random_chars() {
        let secret = new_refresh_token();
        let rest = secret.plaintext.strip_prefix("rrt_").unwrap();
        assert_eq!(rest.len(), 43);
        assert_eq!(URL_SAFE_NO_PAD.decode(rest).unwrap().len(), 32);
        assert_eq!(secret.prefix, secret.plaintext[..12]);
        assert!(!looks_like_api_key(&secret.plaintext));
    }

    #[test]
    fn api_key_has_its_prefix_and_looks_like_one() {
        let secret = new_api_key();
        assert!(secret.plaintext.starts_with(API_KEY_PREFIX));
        assert_eq!(secret.plaintext.len(), 4 + 43);
        assert_eq!(secret.prefix.len(), 12);
        assert!(secret.plaintext.starts_with(&secret.prefix));
        assert!(looks_like_api_key(&secret.plaintext));
    }

    #[test]
    fn stored_hash_is_sha256_of_the_plaintext() {
        let secret = new_api_key();
        assert_eq!(secret.hash.len(), 32);
        assert_eq!(
            secret.hash,
            Sha256::digest(secret.plaintext.as_bytes()).to_vec()
        );
        assert_eq!(secret.hash, hash_secret(&secret.plaintext));
    }

    #[test]
    fn sha256_matches_a_known_vector() {
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let hex: String = hash_secret("abc")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, expected);
    }

    #[test]
    fn secrets_are_unique() {
        assert_ne!(new_api_key().plaintext, new_api_key().plaintext);
    }

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn malformed_api_keys_are_recognised() {
        let good = new_api_key().plaintext;
        assert!(!looks_like_api_key(""));
        assert!(!looks_like_api_key("rst_"));
        assert!(!looks_like_api_key(&good[..good.len() - 1]));
        assert!(!looks_like_api_key(&format!("{good}A")));
        assert!(!looks_like_api_key(&good.replacen("rst_", "rrt_", 1)));
        assert!(!looks_like_api_key(&format!("rst_{}a", "é".repeat(21))));
        assert!(!looks_like_api_key("eyJhbGciOiJFZERTQSJ9.e30.sig"));
    }

    #[test]
    fn debug_redacts_the_plaintext() {
        let secret = new_api_key();
        let shown = format!("{secret:?}");
        assert!(!shown.contains(&secret.plaintext));
        assert!(shown.contains(&secret.prefix));
    }
}
