//! Access tokens verify against the published JWKS, and a tampered one is refused.

use roster_auth::TokenVerifier;
use roster_tests::problem::assert_unauthorized;
use roster_tests::{backend_tests, TestApp};

use crate::support::token_endpoint::verify_with_jwks;

fn jwks_verifies_issued_access_tokens(app: &TestApp) {
    let user = app.sign_up("jwks");
    let jwks = app.client.get("/.well-known/jwks.json", None);
    assert_eq!(jwks.status, 200);
    assert!(jwks
        .header("cache-control")
        .is_some_and(|v| v.contains("public")));
    let keys = jwks.body["keys"].as_array().unwrap();
    assert!(!keys.is_empty());
    for key in keys {
        assert_eq!(key["kty"], "OKP");
        assert_eq!(key["crv"], "Ed25519");
        assert!(key.get("d").is_none(), "the JWKS leaks a private key");
    }
    let claims = verify_with_jwks(app, &user.token);
    assert_eq!(claims.iss, "roster");
    assert_eq!(claims.sub.to_string(), user.id);
    assert!(claims.exp > claims.iat);
    assert!(claims.sid.is_some());
    assert_eq!(claims.org_id, None);
    assert_eq!(claims.org_role, None);

    // A verifier expecting another issuer refuses the token.
    assert!(TokenVerifier::from_jwks_json("someone-else", &jwks.text)
        .unwrap()
        .verify(&user.token)
        .is_err());
}

/// Changes one base64url character in the middle of `segment` (0 = header, 1 = payload,
/// 2 = signature) of a JWT.
fn tamper(token: &str, segment: usize) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let part = &mut parts[segment];
    let middle = part.len() / 2;
    let original = part.as_bytes()[middle];
    let replacement = if original == b'A' { "B" } else { "A" };
    part.replace_range(middle..=middle, replacement);
    parts.join(".")
}

fn tampered_access_token_is_a_401(app: &TestApp) {
    let user = app.sign_up("tamper");
    for segment in [1, 2] {
        let forged = tamper(&user.token, segment);
        assert_ne!(forged, user.token);
        let res = app.client.get("/v1/users/me", Some(&forged));
        assert_unauthorized(&res);
    }
    let res = app.client.get("/v1/users/me", Some("not.a.jwt"));
    assert_unauthorized(&res);
    let res = app.client.get("/v1/users/me", None);
    assert_unauthorized(&res);
}

backend_tests!(
    jwks_verifies_issued_access_tokens,
    tampered_access_token_is_a_401,
);
