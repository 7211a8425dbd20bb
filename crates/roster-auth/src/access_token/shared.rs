//! A verifier that can be swapped while requests use it, for services that refresh Roster's
//! JWKS (Roster rotates its signing keys; a new key's tokens need the new JWKS).

use std::sync::{Arc, RwLock};

use super::{AccessClaims, TokenVerifier};
use crate::AuthError;

/// Cheap to clone; every clone sees the latest [`replace`](Self::replace).
#[derive(Clone)]
pub struct SharedVerifier(Arc<RwLock<TokenVerifier>>);

impl SharedVerifier {
    pub fn new(verifier: TokenVerifier) -> SharedVerifier {
        SharedVerifier(Arc::new(RwLock::new(verifier)))
    }

    /// Verifies with the current keys.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, AuthError> {
        match self.0.read() {
            Ok(verifier) => verifier.verify(token),
            Err(poisoned) => poisoned.into_inner().verify(token),
        }
    }

    /// Starts verifying with `verifier` (a freshly fetched JWKS).
    pub fn replace(&self, verifier: TokenVerifier) {
        match self.0.write() {
            Ok(mut current) => *current = verifier,
            Err(poisoned) => *poisoned.into_inner() = verifier,
        }
    }
}
