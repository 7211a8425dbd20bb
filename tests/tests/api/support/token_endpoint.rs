//! Calls of the token endpoint that return the raw response (the harness's `login` panics
//! unless it succeeds), and checking an access token as another service would.

use roster_auth::{AccessClaims, TokenVerifier};
use roster_tests::{Res, TestApp};
use serde_json::{json, Value};

/// `POST /v1/auth/token` with a JSON body.
pub fn token(app: &TestApp, body: &Value) -> Res {
    app.client.post("/v1/auth/token", None, body)
}

/// The refresh_token grant.
pub fn refresh(app: &TestApp, refresh_token: &str) -> Res {
    token(
        app,
        &json!({"grant_type": "refresh_token", "refresh_token": refresh_token}),
    )
}

/// The password grant.
pub fn password_grant(app: &TestApp, email: &str, password: &str) -> Res {
    token(
        app,
        &json!({"grant_type": "password", "username": email, "password": password}),
    )
}

/// Verifies an access token the way another service would: with the published JWKS.
pub fn verify_with_jwks(app: &TestApp, access_token: &str) -> AccessClaims {
    let jwks = app.client.get("/.well-known/jwks.json", None);
    assert_eq!(jwks.status, 200);
    TokenVerifier::from_jwks_json("roster", &jwks.text)
        .expect("a usable JWKS")
        .verify(access_token)
        .expect("the access token verifies against the JWKS")
}
