use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use ed25519_dalek::VerifyingKey;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use uuid::Uuid;

use super::*;
use crate::error::AuthError;
use crate::signing_key::SigningKeyPair;

const ISS: &str = "https://roster.example";
const TTL: Duration = Duration::from_secs(900);

fn issuer_for(pair: &SigningKeyPair) -> TokenIssuer {
    TokenIssuer::new(pair, ISS, TTL).unwrap()
}

fn verifier_for(pairs: &[&SigningKeyPair]) -> TokenVerifier {
    TokenVerifier::new(ISS, pairs.iter().map(|p| (p.kid.clone(), p.public_key))).unwrap()
}

fn scope() -> OrgScope {
    OrgScope {
        org_id: Uuid::now_v7(),
        role: "admin".into(),
        permissions: vec!["members:read".into(), "members:write".into()],
    }
}

fn part(token: &str, index: usize) -> Value {
    let segment = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segment).unwrap()).unwrap()
}

fn assert_invalid(result: Result<AccessClaims, AuthError>) {
    assert!(
        matches!(result, Err(AuthError::InvalidToken(_))),
        "{result:?}"
    );
}

#[test]
fn org_scoped_token_roundtrips() {
    let pair = SigningKeyPair::generate().unwrap();
    let user = Uuid::now_v7();
    let org = scope();
    let issued = issuer_for(&pair).issue(user, Some(org.clone())).unwrap();

    let claims = verifier_for(&[&pair]).verify(&issued.token).unwrap();
    assert_eq!(claims, issued.claims);
    assert_eq!(claims.iss, ISS);
    assert_eq!(claims.sub, user);
    assert_eq!(claims.exp - claims.iat, 900);
    assert_eq!(issued.expires_in, 900);
    assert_eq!(claims.org_id, Some(org.org_id));
    assert_eq!(claims.org_role.as_deref(), Some("admin"));
    assert_eq!(claims.org_permissions, Some(org.permissions));
}

#[test]
fn header_names_eddsa_jwt_and_kid() {
    let pair = SigningKeyPair::generate().unwrap();
    let issuer = issuer_for(&pair);
    let issued = issuer.issue(Uuid::now_v7(), None).unwrap();
    assert_eq!(
        part(&issued.token, 0),
        json!({"alg": "EdDSA", "typ": "JWT", "kid": pair.kid})
    );
    assert_eq!(issuer.kid(), pair.kid);
}

#[test]
fn unscoped_token_has_no_org_fields() {
    let pair = SigningKeyPair::generate().unwrap();
    let issued = issuer_for(&pair).issue(Uuid::now_v7(), None).unwrap();
    let payload = part(&issued.token, 1);
    let mut fields: Vec<&str> = payload
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["exp", "iat", "iss", "jti", "sub"]);

    let claims = verifier_for(&[&pair]).verify(&issued.token).unwrap();
    assert_eq!(claims.org_id, None);
    assert_eq!(claims.org_role, None);
    assert_eq!(claims.org_permissions, None);
}

#[test]
fn expired_token_is_expired_not_invalid() {
    let pair = SigningKeyPair::generate().unwrap();
    let an_hour_ago = Utc::now().timestamp() - 3600;
    let issued = issuer_for(&pair)
        .issue_at(Uuid::now_v7(), None, None, an_hour_ago)
        .unwrap();
    let result = verifier_for(&[&pair]).verify(&issued.token);
    assert!(matches!(result, Err(AuthError::ExpiredToken)), "{result:?}");
}

#[test]
fn no_leeway_one_second_after_expiry() {
    let pair = SigningKeyPair::generate().unwrap();
    let ttl = i64::try_from(TTL.as_secs()).unwrap();
    let issued_at = Utc::now().timestamp() - ttl - 1;
    let issued = issuer_for(&pair)
        .issue_at(Uuid::now_v7(), None, None, issued_at)
        .unwrap();
    let result = verifier_for(&[&pair]).verify(&issued.token);
    assert!(matches!(result, Err(AuthError::ExpiredToken)), "{result:?}");
}

#[test]
fn other_key_with_the_same_kid_is_rejected() {
    let real = SigningKeyPair::generate().unwrap();
    let mut forger = SigningKeyPair::generate().unwrap();
    forger.kid = real.kid.clone();
    let forged = issuer_for(&forger).issue(Uuid::now_v7(), None).unwrap();
    assert_invalid(verifier_for(&[&real]).verify(&forged.token));
}

#[test]
fn tampered_payload_is_rejected() {
    let pair = SigningKeyPair::generate().unwrap();
    let issued = issuer_for(&pair).issue(Uuid::now_v7(), None).unwrap();
    let mut payload = part(&issued.token, 1);
    payload["org_role"] = json!("owner");
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&payload).unwrap());
    let segments: Vec<&str> = issued.token.split('.').collect();
    let tampered = format!("{}.{payload}.{}", segments[0], segments[2]);
    assert_invalid(verifier_for(&[&pair]).verify(&tampered));
}

#[test]
fn unknown_kid_is_rejected() {
    let signer = SigningKeyPair::generate().unwrap();
    let other = SigningKeyPair::generate().unwrap();
    let issued = issuer_for(&signer).issue(Uuid::now_v7(), None).unwrap();
    let result = verifier_for(&[&other]).verify(&issued.token);
    assert!(
        matches!(&result, Err(AuthError::UnknownKey(kid)) if *kid == signer.kid),
        "{result:?}"
    );
}

#[test]
fn wrong_issuer_is_rejected() {
    let pair = SigningKeyPair::generate().unwrap();
    let issued = TokenIssuer::new(&pair, "https://evil.example", TTL)
        .unwrap()
        .issue(Uuid::now_v7(), None)
        .unwrap();
    assert_invalid(verifier_for(&[&pair]).verify(&issued.token));
}

#[test]
fn alg_none_is_rejected() {
    let pair = SigningKeyPair::generate().unwrap();
    let issued = issuer_for(&pair).issue(Uuid::now_v7(), None).unwrap();
    let header = json!({"alg": "none", "typ": "JWT", "kid": pair.kid});
    let header = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap());
    let payload = issued.token.split('.').nth(1).unwrap();
    let verifier = verifier_for(&[&pair]);
    assert_invalid(verifier.verify(&format!("{header}.{payload}.")));
    assert_invalid(verifier.verify(&format!("{header}.{payload}")));
}

#[test]
fn hs256_keyed_with_the_public_key_is_rejected() {
    let pair = SigningKeyPair::generate().unwrap();
    let claims = issuer_for(&pair)
        .issue(Uuid::now_v7(), None)
        .unwrap()
        .claims;
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(pair.kid.clone());
    let token = jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_secret(&pair.public_key),
    )
    .unwrap();
    assert_invalid(verifier_for(&[&pair]).verify(&token));
}

#[test]
fn garbage_is_rejected_without_panicking() {
    let pair = SigningKeyPair::generate().unwrap();
    let verifier = verifier_for(&[&pair]);
    for token in [
        "",
        ".",
        "..",
        "...",
        "a.b.c",
        "é.é.é",
        "eyJhbGciOiJFZERTQSJ9..",
        "x".repeat(10_000).as_str(),
    ] {
        assert_invalid(verifier.verify(token));
    }
}

#[test]
fn rotated_out_key_still_verifies() {
    let old = SigningKeyPair::generate().unwrap();
    let new = SigningKeyPair::generate().unwrap();
    let verifier = verifier_for(&[&old, &new]);
    for pair in [&old, &new] {
        let issued = issuer_for(pair).issue(Uuid::now_v7(), None).unwrap();
        assert!(verifier.verify(&issued.token).is_ok());
    }
}

#[test]
fn jwks_lists_each_key_as_okp_ed25519() {
    let pair = SigningKeyPair::generate().unwrap();
    let jwks = verifier_for(&[&pair]).jwks();
    assert_eq!(
        jwks,
        json!({"keys": [{
            "kty": "OKP",
            "crv": "Ed25519",
            "x": URL_SAFE_NO_PAD.encode(pair.public_key),
            "kid": pair.kid,
            "alg": "EdDSA",
            "use": "sig",
        }]})
    );
}

#[test]
fn verifier_built_from_jwks_verifies_tokens() {
    let old = SigningKeyPair::generate().unwrap();
    let current = SigningKeyPair::generate().unwrap();
    let published = verifier_for(&[&old, &current]).jwks().to_string();

    let remote = TokenVerifier::from_jwks_json(ISS, &published).unwrap();
    let issued = issuer_for(&current)
        .issue(Uuid::now_v7(), Some(scope()))
        .unwrap();
    assert_eq!(remote.verify(&issued.token).unwrap(), issued.claims);
    assert_eq!(remote.jwks(), verifier_for(&[&old, &current]).jwks());
}

#[test]
fn jwks_reader_skips_keys_it_does_not_use() {
    let pair = SigningKeyPair::generate().unwrap();
    let x = URL_SAFE_NO_PAD.encode(pair.public_key);
    let jwks = json!({"keys": [
        {"kty": "RSA", "kid": "rsa", "n": "AQAB", "e": "AQAB", "alg": "RS256"},
        {"kty": "OKP", "crv": "X25519", "kid": "x", "x": x},
        {"kty": "OKP", "crv": "Ed25519", "kid": "enc", "x": x, "use": "enc"},
        {"kty": "OKP", "crv": "Ed25519", "kid": pair.kid, "x": x},
    ]});
    let verifier = TokenVerifier::from_jwks_json(ISS, &jwks.to_string()).unwrap();
    assert_eq!(verifier.jwks()["keys"].as_array().unwrap().len(), 1);
}

#[test]
fn unusable_jwks_is_a_key_error() {
    let short_x = URL_SAFE_NO_PAD.encode([7u8; 16]);
    for jwks in [
        "not json".to_string(),
        json!({"keys": []}).to_string(),
        json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": short_x, "kid": "k"}]}).to_string(),
        json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "!!", "kid": "k"}]}).to_string(),
        json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode([1u8; 32])}]})
            .to_string(),
    ] {
        let result = TokenVerifier::from_jwks_json(ISS, &jwks);
        assert!(matches!(result, Err(AuthError::Key(_))), "{jwks}");
    }
}

#[test]
fn invalid_public_key_is_refused_up_front() {
    let not_a_point = (0u8..=255)
        .map(|b| [b; 32])
        .find(|bytes| VerifyingKey::from_bytes(bytes).is_err())
        .unwrap();
    let result = TokenVerifier::new(ISS, [("k".to_string(), not_a_point)]);
    assert!(matches!(result, Err(AuthError::Key(_))));
}

#[test]
fn issuer_refuses_a_mismatched_key_pair() {
    let mut pair = SigningKeyPair::generate().unwrap();
    pair.public_key = SigningKeyPair::generate().unwrap().public_key;
    assert!(matches!(
        TokenIssuer::new(&pair, ISS, TTL),
        Err(AuthError::Key(_))
    ));
}

#[test]
fn issued_token_debug_redacts_the_token() {
    let pair = SigningKeyPair::generate().unwrap();
    let issued = issuer_for(&pair).issue(Uuid::now_v7(), None).unwrap();
    assert!(!format!("{issued:?}").contains(&issued.token));
}

#[test]
fn claims_grant_catalogue_permissions_exactly_and_tags_by_wildcard() {
    let claims = |permissions: &[&str]| AccessClaims {
        iss: "roster".into(),
        sub: Uuid::now_v7(),
        iat: 0,
        exp: 1,
        jti: Uuid::now_v7(),
        sid: None,
        org_id: Some(Uuid::now_v7()),
        org_role: Some("member".into()),
        org_permissions: Some(permissions.iter().map(|p| p.to_string()).collect()),
    };
    let member = claims(&["members:read", "invoices:*"]);
    assert!(member.grants("members:read"));
    assert!(!member.grants("members:write"));
    assert!(member.grants("invoices:read"));
    assert!(!member.grants("billing:read"));
    // `*` covers application permissions, never the catalogue.
    assert!(claims(&["*"]).grants("anything"));
    assert!(!claims(&["*"]).grants("organization:delete"));
    let unscoped = AccessClaims {
        org_permissions: None,
        ..member
    };
    assert!(!unscoped.grants("invoices:read"));
}
