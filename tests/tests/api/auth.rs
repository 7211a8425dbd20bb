//! Sign-up, the token endpoint (password and refresh grants, organization scope), revocation,
//! the JWKS, and how request bodies are refused.

use roster_auth::{hash_secret, AccessClaims, TokenVerifier};
use roster_store::diesel::prelude::*;
use roster_store::refresh_tokens::{self, RefreshTokenRow};
use roster_store::schema::refresh_tokens as refresh_tokens_table;
use roster_store::users::{self, UserRow};
use roster_store::{Db, PoolOptions};
use roster_tests::{backend_tests, client, Res, TestApp};
use serde_json::{json, Value};

// ---- helpers shared with `users.rs` ----

/// `POST /v1/auth/token` with a JSON body.
pub(crate) fn token(app: &TestApp, body: &Value) -> Res {
    app.client.post("/v1/auth/token", None, body)
}

/// The refresh_token grant.
pub(crate) fn refresh(app: &TestApp, refresh_token: &str) -> Res {
    token(
        app,
        &json!({"grant_type": "refresh_token", "refresh_token": refresh_token}),
    )
}

/// The password grant, returning the raw response (the harness's `login` panics on failure).
pub(crate) fn password_grant(app: &TestApp, email: &str, password: &str) -> Res {
    token(
        app,
        &json!({"grant_type": "password", "username": email, "password": password}),
    )
}

/// A 401 problem that carries `WWW-Authenticate`.
pub(crate) fn assert_unauthorized(res: &Res) {
    assert_eq!(res.status, 401, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert!(
        res.header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer")),
        "401 without a Bearer WWW-Authenticate: {:?}",
        res.headers
    );
    assert_eq!(res.body["type"], "https://roster.dev/problems/unauthorized");
    assert_eq!(res.body["status"], 401);
}

/// The token endpoint's refusal: a 401 problem with the OAuth2 code `invalid_grant`.
pub(crate) fn assert_invalid_grant(res: &Res) {
    assert_unauthorized(res);
    assert_eq!(res.body["error"], "invalid_grant", "{}", res.text);
}

/// A 422 problem whose `errors` name exactly `field`.
pub(crate) fn assert_field_error(res: &Res, field: &str) {
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(res.body["type"], "https://roster.dev/problems/validation");
    assert_eq!(res.error_fields(), vec![field.to_owned()], "{}", res.text);
}

/// A problem response of the given status and `type` slug.
pub(crate) fn assert_problem(res: &Res, status: u16, slug: &str) {
    assert_eq!(res.status, status, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(
        res.body["type"],
        format!("https://roster.dev/problems/{slug}")
    );
    assert_eq!(res.body["status"], status);
}

/// A direct handle on the test's database, to check what the API stored.
pub(crate) fn db(app: &TestApp) -> Db {
    Db::new(&app.db.url, &PoolOptions::default()).unwrap()
}

pub(crate) fn stored_user(app: &TestApp, email: &str) -> UserRow {
    db(app)
        .read(|conn| users::find_by_email(conn, email))
        .unwrap()
        .expect("the user is stored")
}

/// Every stored refresh token of the sign-in that `plaintext` belongs to.
fn stored_family(app: &TestApp, plaintext: &str) -> Vec<RefreshTokenRow> {
    db(app)
        .read(|conn| {
            let row = refresh_tokens::find_by_hash(conn, &hash_secret(plaintext))?
                .expect("the refresh token is stored");
            refresh_tokens_table::table
                .filter(refresh_tokens_table::family_id.eq(row.family_id))
                .select(RefreshTokenRow::as_select())
                .load(conn)
                .map_err(roster_store::StoreError::from)
        })
        .unwrap()
}

/// Verifies an access token the way another service would: with the published JWKS.
pub(crate) fn verify_with_jwks(app: &TestApp, access_token: &str) -> AccessClaims {
    let jwks = app.client.get("/.well-known/jwks.json", None);
    assert_eq!(jwks.status, 200);
    TokenVerifier::from_jwks_json("roster", &jwks.text)
        .expect("a usable JWKS")
        .verify(access_token)
        .expect("the access token verifies against the JWKS")
}

fn unique_email(label: &str) -> String {
    format!("{label}-{}@example.test", uuid::Uuid::now_v7().simple())
}

// ---- sign-up ----

fn sign_up_answers_201_with_location_and_no_password(app: &TestApp) {
    let email = format!("Mixed.Case-{}@Example.TEST", uuid::Uuid::now_v7().simple());
    let res = app.client.post(
        "/v1/users",
        None,
        &json!({"email": email, "password": "correct horse battery", "name": "Ada"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let id = res.body["id"].as_str().unwrap();
    assert_eq!(
        res.header("location"),
        Some(format!("/v1/users/{id}").as_str())
    );
    assert_eq!(res.body["email"], email.to_lowercase());
    assert_eq!(res.body["name"], "Ada");
    assert_eq!(res.body["state"], "active");
    assert_eq!(res.body["is_admin"], false);
    assert!(res.body["created_at"].as_str().unwrap().ends_with('Z'));
    let keys: Vec<&String> = res.body.as_object().unwrap().keys().collect();
    assert!(
        !keys
            .iter()
            .any(|k| k.contains("password") || k.contains("hash")),
        "{keys:?}"
    );
    assert!(!res.text.contains("correct horse battery"));

    let stored = stored_user(app, &email.to_lowercase());
    let hash = stored.password_hash.unwrap();
    assert!(hash.starts_with("$argon2"), "stored hash is {hash}");
    // The address is lowercased once, so the user signs in with any spelling of it.
    app.login(&email.to_uppercase(), "correct horse battery");
}

fn duplicate_email_in_any_case_is_a_409(app: &TestApp) {
    let user = app.sign_up("dup");
    let res = app.client.post(
        "/v1/users",
        None,
        &json!({"email": user.email.to_uppercase(), "password": "another password"}),
    );
    assert_problem(&res, 409, "conflict");
    // The first account keeps its password.
    app.login(&user.email, &user.password);
}

fn sign_up_reports_every_invalid_field(app: &TestApp) {
    let res = app.client.post(
        "/v1/users",
        None,
        &json!({"email": "not-an-email", "password": "short"}),
    );
    assert_eq!(res.status, 422, "{}", res.text);
    let mut fields = res.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["email", "password"]);
}

fn sign_up_with_the_same_idempotency_key_replays_the_first_response(app: &TestApp) {
    let body = json!({"email": unique_email("idem"), "password": "correct horse battery"});
    let post = || {
        client::send(
            app.client
                .request("POST", "/v1/users", None)
                .set("Idempotency-Key", "sign-up-once")
                .send_json(&body),
        )
    };
    let first = post();
    assert_eq!(first.status, 201, "{}", first.text);
    let replay = post();
    assert_eq!(
        replay.status, 201,
        "API.md: same key + same body replays: {}",
        replay.text
    );
    assert_eq!(replay.body["id"], first.body["id"]);
}

// ---- the password grant ----

fn password_grant_issues_a_bearer_pair(app: &TestApp) {
    let user = app.sign_up("pw");
    let res = password_grant(app, &user.email, &user.password);
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert_eq!(res.body["token_type"], "Bearer");
    assert!(res.body["expires_in"].as_i64().unwrap() > 0);
    assert!(res.body["refresh_token"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    let access = res.body["access_token"].as_str().unwrap();
    let me = app.client.get("/v1/users/me", Some(access));
    assert_eq!(me.status, 200);
    assert_eq!(me.body["id"], user.id.as_str());
}

fn password_grant_accepts_a_form_encoded_body(app: &TestApp) {
    let user = app.sign_up("form");
    let res = client::send(
        app.client
            .request("POST", "/v1/auth/token", None)
            .send_form(&[
                ("grant_type", "password"),
                ("username", &user.email),
                ("password", &user.password),
            ]),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let claims = verify_with_jwks(app, res.body["access_token"].as_str().unwrap());
    assert_eq!(claims.sub.to_string(), user.id);
    // The refresh grant works form-encoded too.
    let refreshed = client::send(
        app.client
            .request("POST", "/v1/auth/token", None)
            .send_form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", res.body["refresh_token"].as_str().unwrap()),
            ]),
    );
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
}

fn form_encoded_unknown_field_is_named(app: &TestApp) {
    let res = client::send(
        app.client
            .request("POST", "/v1/auth/token", None)
            .send_form(&[("grant_type", "password"), ("colour", "blue")]),
    );
    assert_field_error(&res, "colour");
}

fn wrong_password_and_unknown_email_answer_the_same_401(app: &TestApp) {
    let user = app.sign_up("guess");
    let wrong_password = password_grant(app, &user.email, "not the password");
    let unknown_email = password_grant(app, "nobody@example.test", "not the password");
    let not_an_email = password_grant(app, "nobody", "not the password");
    for res in [&wrong_password, &unknown_email, &not_an_email] {
        assert_invalid_grant(res);
    }
    assert_eq!(wrong_password.body, unknown_email.body);
    assert_eq!(wrong_password.body, not_an_email.body);
    assert_eq!(
        wrong_password.header("www-authenticate"),
        unknown_email.header("www-authenticate")
    );
}

fn missing_username_is_a_422_on_username(app: &TestApp) {
    let res = token(
        app,
        &json!({"grant_type": "password", "password": "whatever1"}),
    );
    assert_field_error(&res, "username");
    let res = token(
        app,
        &json!({"grant_type": "password", "username": "", "password": "whatever1"}),
    );
    assert_field_error(&res, "username");
}

fn unsupported_grant_type_is_a_422_on_grant_type(app: &TestApp) {
    let res = token(app, &json!({"grant_type": "client_credentials"}));
    assert_field_error(&res, "grant_type");
    assert_eq!(res.body["errors"][0]["code"], "unsupported");
    let res = token(app, &json!({"username": "a@example.test"}));
    assert_field_error(&res, "grant_type");
}

// ---- refresh tokens ----

fn refresh_rotates_and_the_old_token_then_fails(app: &TestApp) {
    let user = app.sign_up("rotate");
    let first = refresh(app, &user.refresh_token);
    assert_eq!(first.status, 200, "{}", first.text);
    let next = first.body["refresh_token"].as_str().unwrap();
    assert_ne!(next, user.refresh_token);
    let claims = verify_with_jwks(app, first.body["access_token"].as_str().unwrap());
    assert_eq!(claims.sub.to_string(), user.id);

    let again = refresh(app, &user.refresh_token);
    assert_invalid_grant(&again);
}

fn reused_refresh_token_revokes_the_whole_family(app: &TestApp) {
    let user = app.sign_up("reuse");
    let rotated = refresh(app, &user.refresh_token);
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let newest = rotated.body["refresh_token"].as_str().unwrap().to_owned();

    // The attacker replays the rotated token...
    assert_invalid_grant(&refresh(app, &user.refresh_token));
    // ...and the legitimate holder's newest token has died with it.
    assert_invalid_grant(&refresh(app, &newest));

    let family = stored_family(app, &newest);
    assert_eq!(family.len(), 2);
    assert!(family.iter().all(|row| row.revoked_at.is_some()));

    // Another sign-in of the same user is a different family and unaffected.
    let other = app.login(&user.email, &user.password);
    assert_eq!(
        refresh(app, other["refresh_token"].as_str().unwrap()).status,
        200
    );
}

fn unknown_refresh_token_is_invalid_grant(app: &TestApp) {
    assert_invalid_grant(&refresh(app, "rrt_not-a-real-token"));
    let res = token(app, &json!({"grant_type": "refresh_token"}));
    assert_field_error(&res, "refresh_token");
}

fn refresh_cannot_change_the_organization(app: &TestApp) {
    let user = app.sign_up("rescope");
    app.create_org(&user, "rescope-inc");
    let res = token(
        app,
        &json!({"grant_type": "refresh_token", "refresh_token": user.refresh_token,
                "organization": "rescope-inc"}),
    );
    assert_field_error(&res, "organization");
}

// ---- revocation ----

fn revoked_refresh_token_no_longer_refreshes(app: &TestApp) {
    let user = app.sign_up("revoke");
    let res = app.client.post(
        "/v1/auth/revoke",
        None,
        &json!({"token": user.refresh_token}),
    );
    assert_eq!(res.status, 204, "{}", res.text);
    assert!(res.text.is_empty());
    assert_invalid_grant(&refresh(app, &user.refresh_token));
    assert!(stored_family(app, &user.refresh_token)
        .iter()
        .all(|row| row.revoked_at.is_some()));
}

fn revoking_a_rotated_token_ends_the_session(app: &TestApp) {
    let user = app.sign_up("revoke-old");
    let rotated = refresh(app, &user.refresh_token);
    let newest = rotated.body["refresh_token"].as_str().unwrap();
    let res = app.client.post(
        "/v1/auth/revoke",
        None,
        &json!({"token": user.refresh_token}),
    );
    assert_eq!(res.status, 204);
    assert_invalid_grant(&refresh(app, newest));
}

fn revoking_garbage_is_still_204(app: &TestApp) {
    let res = app.client.post(
        "/v1/auth/revoke",
        None,
        &json!({"token": "garbage", "token_type_hint": "refresh_token"}),
    );
    assert_eq!(res.status, 204, "{}", res.text);
}

// ---- access tokens and the JWKS ----

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

fn organization_scoped_token_carries_org_claims(app: &TestApp) {
    let user = app.sign_up("scoped");
    let org = app.create_org(&user, "scoped-inc");
    let by_name = token(
        app,
        &json!({"grant_type": "password", "username": user.email, "password": user.password,
                "organization": "scoped-inc"}),
    );
    assert_eq!(by_name.status, 200, "{}", by_name.text);
    let claims = verify_with_jwks(app, by_name.body["access_token"].as_str().unwrap());
    assert_eq!(
        claims.org_id.map(|id| id.to_string()),
        org["id"].as_str().map(str::to_owned)
    );
    assert_eq!(claims.org_role.as_deref(), Some("owner"));
    let permissions = claims.org_permissions.unwrap_or_default();
    for expected in ["organization:delete", "members:write", "api_keys:write"] {
        assert!(permissions.iter().any(|p| p == expected), "{permissions:?}");
    }

    // By id it is the same organization, and a refresh keeps the scope.
    let by_id = token(
        app,
        &json!({"grant_type": "password", "username": user.email, "password": user.password,
                "organization": org["id"]}),
    );
    assert_eq!(by_id.status, 200, "{}", by_id.text);
    let refreshed = refresh(app, by_id.body["refresh_token"].as_str().unwrap());
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    let claims = verify_with_jwks(app, refreshed.body["access_token"].as_str().unwrap());
    assert_eq!(
        claims.org_id.map(|id| id.to_string()).as_deref(),
        org["id"].as_str()
    );
    assert_eq!(claims.org_role.as_deref(), Some("owner"));
}

fn scoping_to_an_organization_of_others_is_a_422(app: &TestApp) {
    let owner = app.sign_up("owner");
    app.create_org(&owner, "not-yours");
    let outsider = app.sign_up("outsider");
    for organization in ["not-yours", "does-not-exist"] {
        let res = token(
            app,
            &json!({"grant_type": "password", "username": outsider.email,
                    "password": outsider.password, "organization": organization}),
        );
        assert_field_error(&res, "organization");
    }
}

// ---- request bodies ----

fn text_plain_body_is_a_415(app: &TestApp) {
    for path in ["/v1/auth/token", "/v1/users", "/v1/auth/revoke"] {
        let res = app.client.send_raw(
            "POST",
            path,
            None,
            "text/plain",
            br#"{"grant_type":"password"}"#,
        );
        assert_problem(&res, 415, "unsupported-media-type");
    }
}

fn body_over_one_mebibyte_is_a_413(app: &TestApp) {
    let padding = "a".repeat(1024 * 1024 + 100 * 1024);
    for path in ["/v1/users", "/v1/auth/token"] {
        let body = json!({"email": "big@example.test", "password": "long enough", "name": padding,
                          "grant_type": "password"});
        let res = app.client.send_raw(
            "POST",
            path,
            None,
            "application/json",
            body.to_string().as_bytes(),
        );
        assert_problem(&res, 413, "payload-too-large");
    }
}

fn malformed_json_is_a_400(app: &TestApp) {
    for path in ["/v1/auth/token", "/v1/users"] {
        let res = app.client.send_raw(
            "POST",
            path,
            None,
            "application/json",
            br#"{"grant_type": "password", "#,
        );
        assert_problem(&res, 400, "bad-request");
    }
}

fn unknown_json_field_is_a_422_naming_it(app: &TestApp) {
    let res = token(
        app,
        &json!({"grant_type": "password", "username": "a@example.test", "password": "x",
                "remember_me": true}),
    );
    assert_field_error(&res, "remember_me");
    assert_eq!(res.body["errors"][0]["code"], "unknown_field");

    let res = app.client.post(
        "/v1/users",
        None,
        &json!({"email": unique_email("unknown"), "password": "correct horse battery",
                "nickname": "ada"}),
    );
    assert_field_error(&res, "nickname");
}

backend_tests!(
    sign_up_answers_201_with_location_and_no_password,
    duplicate_email_in_any_case_is_a_409,
    sign_up_reports_every_invalid_field,
    sign_up_with_the_same_idempotency_key_replays_the_first_response,
    password_grant_issues_a_bearer_pair,
    password_grant_accepts_a_form_encoded_body,
    form_encoded_unknown_field_is_named,
    wrong_password_and_unknown_email_answer_the_same_401,
    missing_username_is_a_422_on_username,
    unsupported_grant_type_is_a_422_on_grant_type,
    refresh_rotates_and_the_old_token_then_fails,
    reused_refresh_token_revokes_the_whole_family,
    unknown_refresh_token_is_invalid_grant,
    refresh_cannot_change_the_organization,
    revoked_refresh_token_no_longer_refreshes,
    revoking_a_rotated_token_ends_the_session,
    revoking_garbage_is_still_204,
    jwks_verifies_issued_access_tokens,
    tampered_access_token_is_a_401,
    organization_scoped_token_carries_org_claims,
    scoping_to_an_organization_of_others_is_a_422,
    text_plain_body_is_a_415,
    body_over_one_mebibyte_is_a_413,
    malformed_json_is_a_400,
    unknown_json_field_is_a_422_naming_it,
);
