//! Publishing and reading public keys as a JSON Web Key Set (RFC 7517, with
//! the OKP key type of RFC 8037), the format other services fetch from
//! `/.well-known/jwks.json`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::jwk::{
    AlgorithmParameters, EllipticCurve, JwkSet, KeyAlgorithm, OctetKeyPairParameters, PublicKeyUse,
};
use serde_json::{json, Value};

use super::verifier::TokenVerifier;
use crate::error::AuthError;

impl TokenVerifier {
    /// Builds a verifier from a JWKS document, for services that verify
    /// Roster's tokens without sharing its database.
    ///
    /// Keys that are not Ed25519 signing keys are skipped (RFC 7517 asks
    /// readers to ignore keys they do not understand); an Ed25519 key without
    /// a `kid` or with a malformed `x`, or a set with no usable key at all, is
    /// an [`AuthError::Key`].
    pub fn from_jwks_json(issuer: impl Into<String>, jwks: &str) -> Result<Self, AuthError> {
        let set: JwkSet =
            serde_json::from_str(jwks).map_err(|e| AuthError::Key(format!("JWKS: {e}")))?;
        let mut keys = Vec::new();
        for jwk in &set.keys {
            let AlgorithmParameters::OctetKeyPair(okp) = &jwk.algorithm else {
                continue;
            };
            let for_eddsa = matches!(jwk.common.key_algorithm, None | Some(KeyAlgorithm::EdDSA));
            let for_signing = matches!(
                jwk.common.public_key_use,
                None | Some(PublicKeyUse::Signature)
            );
            if okp.curve != EllipticCurve::Ed25519 || !for_eddsa || !for_signing {
                continue;
            }
            let kid = jwk
                .common
                .key_id
                .clone()
                .ok_or_else(|| AuthError::Key("JWKS: Ed25519 key without kid".into()))?;
            keys.push((kid.clone(), public_key_from(okp, &kid)?));
        }
        if keys.is_empty() {
            return Err(AuthError::Key("JWKS: no Ed25519 signing key".into()));
        }
        Self::new(issuer, keys)
    }

    /// The public keys as a JWKS document, ready to serve at
    /// `/.well-known/jwks.json`.
    pub fn jwks(&self) -> Value {
        let keys: Vec<Value> = self
            .keys
            .iter()
            .map(|(kid, key)| {
                json!({
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": URL_SAFE_NO_PAD.encode(key.public_key),
                    "kid": kid,
                    "alg": "EdDSA",
                    "use": "sig",
                })
            })
            .collect();
        json!({ "keys": keys })
    }
}

fn public_key_from(okp: &OctetKeyPairParameters, kid: &str) -> Result<[u8; 32], AuthError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(&okp.x)
        .map_err(|e| AuthError::Key(format!("JWKS: x of kid {kid}: {e}")))?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map_err(|_| AuthError::Key(format!("JWKS: x of kid {kid} is not 32 bytes")))
}
