//! Ed25519 key pairs that sign access tokens.
//!
//! Keys live in the database (not in a process) so that every instance serving
//! one database signs with, and accepts, the same keys.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::SigningKey;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::AuthError;

/// One Ed25519 signing key with its id, in the shapes callers store.
#[derive(Clone)]
pub struct SigningKeyPair {
    /// Key id put in each token's header and in the JWKS, so verifiers pick the
    /// right key while old and new keys overlap during a rotation.
    pub kid: String,
    /// PKCS#8 v1 DER of the private key: what `jsonwebtoken` signs with.
    pub private_pkcs8_der: Vec<u8>,
    /// Raw public key, what verifiers and the JWKS need.
    pub public_key: [u8; 32],
}

impl SigningKeyPair {
    /// Generates a new key from the OS random number generator.
    ///
    /// The `kid` is derived from the public key (first 16 bytes of its
    /// SHA-256, base64url without padding), so it is stable and collision-free
    /// without coordination between instances.
    pub fn generate() -> Result<Self, AuthError> {
        let mut seed = [0u8; 32];
        // try_fill_bytes rather than SigningKey::generate, which panics if the
        // OS RNG fails.
        OsRng
            .try_fill_bytes(&mut seed)
            .map_err(|e| AuthError::Key(format!("random seed: {e}")))?;
        let signing_key = SigningKey::from_bytes(&seed);
        let private_pkcs8_der = signing_key
            .to_pkcs8_der()
            .map_err(|e| AuthError::Key(format!("encode PKCS#8: {e}")))?
            .as_bytes()
            .to_vec();
        let public_key = signing_key.verifying_key().to_bytes();
        Ok(Self {
            kid: kid_for(&public_key),
            private_pkcs8_der,
            public_key,
        })
    }

    /// Rebuilds a key pair loaded from storage.
    ///
    /// Fails if the DER is not an Ed25519 PKCS#8 key or does not belong to
    /// `public_key`: a mismatch would sign tokens that no verifier accepts.
    pub fn from_parts(
        kid: String,
        private_pkcs8_der: Vec<u8>,
        public_key: [u8; 32],
    ) -> Result<Self, AuthError> {
        let pair = Self {
            kid,
            private_pkcs8_der,
            public_key,
        };
        pair.signing_key()?;
        Ok(pair)
    }

    /// Parses the private key and checks it matches `public_key`.
    pub(crate) fn signing_key(&self) -> Result<SigningKey, AuthError> {
        let signing_key = SigningKey::from_pkcs8_der(&self.private_pkcs8_der)
            .map_err(|e| AuthError::Key(format!("decode PKCS#8: {e}")))?;
        if signing_key.verifying_key().to_bytes() != self.public_key {
            return Err(AuthError::Key(format!(
                "private key of kid {} does not match its public key",
                self.kid
            )));
        }
        Ok(signing_key)
    }
}

/// The private key stays out of logs.
impl fmt::Debug for SigningKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyPair")
            .field("kid", &self.kid)
            .field("private_pkcs8_der", &"[redacted]")
            .field("public_key", &URL_SAFE_NO_PAD.encode(self.public_key))
            .finish()
    }
}

fn kid_for(public_key: &[u8; 32]) -> String {
    let digest = Sha256::digest(public_key);
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kid_is_derived_from_the_public_key() {
        let pair = SigningKeyPair::generate().unwrap();
        assert_eq!(pair.kid, kid_for(&pair.public_key));
        assert_eq!(pair.kid.len(), 22);
    }

    #[test]
    fn from_parts_roundtrips_a_generated_key() {
        let pair = SigningKeyPair::generate().unwrap();
        let loaded = SigningKeyPair::from_parts(
            pair.kid.clone(),
            pair.private_pkcs8_der.clone(),
            pair.public_key,
        )
        .unwrap();
        assert_eq!(loaded.public_key, pair.public_key);
    }

    #[test]
    fn from_parts_rejects_a_mismatched_public_key() {
        let a = SigningKeyPair::generate().unwrap();
        let b = SigningKeyPair::generate().unwrap();
        let err = SigningKeyPair::from_parts(a.kid, a.private_pkcs8_der, b.public_key);
        assert!(matches!(err, Err(AuthError::Key(_))));
    }

    #[test]
    fn from_parts_rejects_garbage_der() {
        let err = SigningKeyPair::from_parts("k".into(), vec![1, 2, 3], [0; 32]);
        assert!(matches!(err, Err(AuthError::Key(_))));
    }

    #[test]
    fn debug_redacts_the_private_key() {
        let pair = SigningKeyPair::generate().unwrap();
        let shown = format!("{pair:?}");
        assert!(shown.contains("[redacted]"));
        assert!(!shown.contains(&format!("{:?}", pair.private_pkcs8_der)));
    }
}
