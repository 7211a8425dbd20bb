//! Checking access tokens offline against known public keys.

use std::collections::BTreeMap;

use ed25519_dalek::VerifyingKey;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use super::claims::AccessClaims;
use crate::error::AuthError;

/// Verifies access tokens against a set of Ed25519 public keys, by `kid`.
///
/// Holds every key that may still have live tokens (the current one and those
/// rotated out less than a token lifetime ago). Decoding keys and the
/// validation rules are built once here, because `verify` runs on every
/// request.
#[derive(Clone, Debug)]
pub struct TokenVerifier {
    pub(super) keys: BTreeMap<String, VerificationKey>,
    validation: Validation,
}

#[derive(Clone, Debug)]
pub(super) struct VerificationKey {
    pub(super) public_key: [u8; 32],
    decoding_key: DecodingKey,
}

impl TokenVerifier {
    /// Accepts tokens from `issuer` signed by any of `keys` (`kid`, raw public
    /// key). A later duplicate `kid` replaces an earlier one.
    ///
    /// Fails with [`AuthError::Key`] if a key is not a valid Ed25519 point, so
    /// a bad key is found at start-up rather than on a request.
    pub fn new(
        issuer: impl Into<String>,
        keys: impl IntoIterator<Item = (String, [u8; 32])>,
    ) -> Result<Self, AuthError> {
        let keys = keys
            .into_iter()
            .map(|(kid, public_key)| {
                VerifyingKey::from_bytes(&public_key)
                    .map_err(|e| AuthError::Key(format!("public key of kid {kid}: {e}")))?;
                let key = VerificationKey {
                    public_key,
                    decoding_key: DecodingKey::from_ed_der(&public_key),
                };
                Ok((kid, key))
            })
            .collect::<Result<_, AuthError>>()?;
        Ok(Self {
            keys,
            validation: validation_for(issuer.into()),
        })
    }

    /// The ids of the keys this verifier accepts.
    pub fn kids(&self) -> Vec<&str> {
        self.keys.keys().map(String::as_str).collect()
    }

    /// Checks the signature, algorithm, `kid`, issuer and expiry of `token`
    /// and returns its claims.
    ///
    /// Only EdDSA is accepted, whatever the header says, so neither `none` nor
    /// an HMAC keyed with a public key can slip through. Expiry has no leeway:
    /// tokens are short-lived and instances share a clock source.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, AuthError> {
        let header = jsonwebtoken::decode_header(token).map_err(invalid)?;
        if header.alg != Algorithm::EdDSA {
            return Err(AuthError::InvalidToken(format!(
                "algorithm {:?} is not accepted",
                header.alg
            )));
        }
        // We never set critical extensions, so a token that does was not ours.
        if header.crit.is_some() {
            return Err(AuthError::InvalidToken("unsupported crit header".into()));
        }
        let kid = header
            .kid
            .ok_or_else(|| AuthError::InvalidToken("missing kid".into()))?;
        let key = self
            .keys
            .get(&kid)
            .ok_or_else(|| AuthError::UnknownKey(kid.clone()))?;
        jsonwebtoken::decode::<AccessClaims>(token, &key.decoding_key, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => AuthError::ExpiredToken,
                _ => invalid(e),
            })
    }
}

fn validation_for(issuer: String) -> Validation {
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.leeway = 0;
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["exp", "iss", "sub"]);
    validation
}

fn invalid(e: jsonwebtoken::errors::Error) -> AuthError {
    AuthError::InvalidToken(e.to_string())
}
