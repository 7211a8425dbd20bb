//! Sealing secrets at rest with a key-encryption key: XChaCha20-Poly1305 (an AEAD with 192-bit
//! random nonces, so no nonce bookkeeping is needed across instances).
//!
//! Roster seals the private halves of its signing keys with the operator's
//! `ROSTER_KEY_ENCRYPTION_KEY`, so a copy of the database alone signs no tokens.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::error::AuthError;

/// What a sealed value starts with: "Roster Sealed, version 1". A PKCS#8 key (DER) starts
/// with 0x30, so a sealed value and a plaintext one are never confused.
const MAGIC: &[u8; 4] = b"RSL1";
const NONCE_LEN: usize = 24;

/// A 256-bit key-encryption key. Written as 32 random bytes in base64 (standard or URL-safe,
/// padding optional): `openssl rand -base64 32`.
#[derive(Clone)]
pub struct KeyEncryptionKey([u8; 32]);

impl KeyEncryptionKey {
    /// A new random key (for tests and tools; operators make theirs with openssl).
    pub fn generate() -> KeyEncryptionKey {
        KeyEncryptionKey(XChaCha20Poly1305::generate_key(&mut OsRng).into())
    }

    /// A key from its 32 bytes (e.g. derived from another secret).
    pub fn from_bytes(bytes: [u8; 32]) -> KeyEncryptionKey {
        KeyEncryptionKey(bytes)
    }

    /// The key's bytes (to derive other keys from it).
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// The key in its written form (standard base64).
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Seals `plaintext`; `context` (e.g. the signing key's id) must be given again to open
    /// it, so a sealed value moved to another row does not open there.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Result<Vec<u8>, AuthError> {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: context,
                },
            )
            .map_err(|_| AuthError::Key("sealing failed".into()))?;
        let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens what [`seal`](Self::seal) made with this key and `context`; any other key, context
    /// or a changed byte is an error.
    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, AuthError> {
        let body = sealed
            .strip_prefix(MAGIC.as_slice())
            .filter(|rest| rest.len() > NONCE_LEN)
            .ok_or_else(|| AuthError::Key("not a sealed value".into()))?;
        let (nonce, ciphertext) = body.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce
            .try_into()
            .map_err(|_| AuthError::Key("not a sealed value".into()))?;
        XChaCha20Poly1305::new((&self.0).into())
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context,
                },
            )
            .map_err(|_| AuthError::Key("the key-encryption key does not open this value".into()))
    }
}

/// Whether `bytes` were made by [`KeyEncryptionKey::seal`].
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

impl FromStr for KeyEncryptionKey {
    type Err = AuthError;

    fn from_str(text: &str) -> Result<KeyEncryptionKey, AuthError> {
        let text = text.trim();
        let bytes = STANDARD
            .decode(text)
            .or_else(|_| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')))
            .map_err(|_| AuthError::Key("the key-encryption key is not base64".into()))?;
        <[u8; 32]>::try_from(bytes.as_slice())
            .map(KeyEncryptionKey)
            .map_err(|_| {
                AuthError::Key(format!(
                    "the key-encryption key must be 32 bytes (44 base64 characters), not {}: \
                     make one with `openssl rand -base64 32`",
                    bytes.len()
                ))
            })
    }
}

/// The key stays out of logs.
impl fmt::Debug for KeyEncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyEncryptionKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_with_the_same_key_and_context() {
        let kek = KeyEncryptionKey::generate();
        let sealed = kek.seal(b"private key", b"kid-1").unwrap();
        assert!(is_sealed(&sealed));
        assert!(!sealed.windows(11).any(|w| w == b"private key"));
        assert_eq!(kek.open(&sealed, b"kid-1").unwrap(), b"private key");
        assert!(kek.open(&sealed, b"kid-2").is_err(), "another context");
        assert!(KeyEncryptionKey::generate()
            .open(&sealed, b"kid-1")
            .is_err());
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(kek.open(&tampered, b"kid-1").is_err());
    }

    #[test]
    fn parses_its_written_form_only() {
        let kek = KeyEncryptionKey::generate();
        let parsed: KeyEncryptionKey = kek.to_base64().parse().unwrap();
        assert_eq!(parsed.0, kek.0);
        let url_safe = URL_SAFE_NO_PAD.encode(kek.0);
        assert_eq!(url_safe.parse::<KeyEncryptionKey>().unwrap().0, kek.0);
        assert!("c2hvcnQ=".parse::<KeyEncryptionKey>().is_err());
        assert!("not base64!".parse::<KeyEncryptionKey>().is_err());
        assert!(!format!("{kek:?}").contains(&kek.to_base64()));
    }

    #[test]
    fn plaintext_der_is_never_taken_for_sealed() {
        assert!(!is_sealed(&[0x30, 0x2e, 0x02, 0x01]));
    }
}
