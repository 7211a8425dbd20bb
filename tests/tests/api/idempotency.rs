use roster_store::diesel::RunQueryDsl;
use roster_tests::problem::assert_unauthorized;
use roster_tests::{backend_tests, raw_exchange, raw_json_request, Res, TestApp};
use serde_json::{json, Value};

use crate::support::stored::{age_rotation, db};

fn post_with_key(app: &TestApp, path: &str, token: Option<&str>, key: &str, body: &Value) -> Res {
    app.client
        .send_with("POST", path, token, &[("Idempotency-Key", key)], Some(body))
}

fn retried_post_replays_the_first_response(app: &TestApp) {
    let ada = app.sign_up("ada");
    let first = post_with_key(
        app,
        "/v1/organizations",
        Some(&ada.token),
        "create-acme-1",
        &json!({"name": "acme"}),
    );
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.header("idempotent-replayed"), None);

    let retry = post_with_key(
        app,
        "/v1/organizations",
        Some(&ada.token),
        "create-acme-1",
        &json!({"name": "acme"}),
    );
    assert_eq!(retry.status, 201);
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(retry.body, first.body);
    assert_eq!(retry.header("location"), first.header("location"));
    assert_eq!(retry.header("etag"), first.header("etag"));

    let list = app.client.get("/v1/organizations", Some(&ada.token));
    assert_eq!(
        list.body["data"].as_array().unwrap().len(),
        1,
        "the retry created nothing"
    );
}

fn same_key_with_another_body_is_422(app: &TestApp) {
    let ada = app.sign_up("ada");
    let first = post_with_key(
        app,
        "/v1/organizations",
        Some(&ada.token),
        "k",
        &json!({"name": "acme"}),
    );
    assert_eq!(first.status, 201);
    let other = post_with_key(
        app,
        "/v1/organizations",
        Some(&ada.token),
        "k",
        &json!({"name": "globex"}),
    );
    assert_eq!(other.status, 422);
    assert_eq!(other.error_fields(), ["Idempotency-Key"]);
    assert_eq!(
        app.client
            .get("/v1/organizations/globex", Some(&ada.token))
            .status,
        404
    );
}

fn keys_belong_to_one_caller(app: &TestApp) {
    let ada = app.sign_up("ada");
    let bob = app.sign_up("bob");
    assert_eq!(
        post_with_key(
            app,
            "/v1/organizations",
            Some(&ada.token),
            "shared",
            &json!({"name": "acme"})
        )
        .status,
        201
    );
    let bobs = post_with_key(
        app,
        "/v1/organizations",
        Some(&bob.token),
        "shared",
        &json!({"name": "globex"}),
    );
    assert_eq!(
        bobs.status, 201,
        "another caller's key of the same name is independent: {}",
        bobs.body
    );
    assert_eq!(bobs.header("idempotent-replayed"), None);
}

fn token_endpoint_never_replays_secrets(app: &TestApp) {
    let ada = app.sign_up("ada");
    let body = json!({"grant_type": "password", "username": ada.email, "password": ada.password});
    let first = post_with_key(app, "/v1/auth/token", None, "login", &body);
    let second = post_with_key(app, "/v1/auth/token", None, "login", &body);
    assert_eq!((first.status, second.status), (200, 200));
    assert_eq!(second.header("idempotent-replayed"), None);
    assert_ne!(first.body["refresh_token"], second.body["refresh_token"]);
}

fn an_overlong_key_is_400(app: &TestApp) {
    let ada = app.sign_up("ada");
    let res = post_with_key(
        app,
        "/v1/organizations",
        Some(&ada.token),
        &"k".repeat(256),
        &json!({"name": "acme"}),
    );
    assert_eq!(res.status, 400);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
}

/// A claim whose request never finished (a crash, a dropped client) does not block its key
/// for a day: after a minute, a retry runs.
fn an_abandoned_claim_lets_a_retry_run(app: &TestApp) {
    let ada = app.sign_up("ada");
    let stale = roster_store::idempotency::IdempotencyRow {
        scope: format!("user:{}", ada.id),
        key: "stuck".into(),
        request_hash: vec![0; 32],
        status: None,
        response_headers: None,
        response_body: None,
        created_at: roster_store::Ts::from_datetime(
            chrono::Utc::now() - chrono::Duration::minutes(5),
        ),
    };
    db(app)
        .write(|conn| {
            roster_store::diesel::insert_into(roster_store::schema::idempotency_keys::table)
                .values(&stale)
                .execute(conn)
                .map_err(roster_store::StoreError::from)
        })
        .unwrap();
    let retry = post_with_key(
        app,
        "/v1/organizations",
        Some(&ada.token),
        "stuck",
        &json!({"name": "acme"}),
    );
    assert_eq!(retry.status, 201, "{}", retry.body);
}

/// The JSON body of a raw HTTP answer.
fn body_of(answer: &str) -> Value {
    serde_json::from_str(&answer[answer.find("\r\n\r\n").unwrap() + 4..]).unwrap()
}

/// The number of stored idempotency keys, of any caller.
fn stored_keys(app: &TestApp) -> i64 {
    use roster_store::diesel::QueryDsl;
    db(app)
        .read(|conn| {
            roster_store::schema::idempotency_keys::table
                .count()
                .get_result::<i64>(conn)
                .map_err(roster_store::StoreError::from)
        })
        .unwrap()
}

/// However the path is spelled (`%74oken` routes to `/token`), a token request is never stored
/// or replayed: the decision is made on the matched route. Each sign-in gets its own tokens,
/// and nothing reaches the idempotency store, neither tokens nor fingerprints of passwords.
fn encoded_paths_never_reach_the_idempotency_store(app: &TestApp) {
    let ada = app.sign_up("ada");
    let login = json!({"grant_type": "password", "username": ada.email, "password": ada.password})
        .to_string();
    let mut refresh_tokens = Vec::new();
    for _ in 0..2 {
        let request = raw_json_request(
            "POST",
            "/v1/auth/%74oken",
            &[("Idempotency-Key", "k1")],
            &login,
        );
        let (status, text) = raw_exchange(&app.base, &request);
        assert_eq!(status, 200, "{text}");
        assert!(
            !text.to_ascii_lowercase().contains("idempotent-replayed"),
            "{text}"
        );
        refresh_tokens.push(body_of(&text)["refresh_token"].as_str().unwrap().to_owned());
    }
    assert_ne!(refresh_tokens[0], refresh_tokens[1]);

    // A refresh grant sent twice this way is a reuse, detected as always.
    let refresh =
        json!({"grant_type": "refresh_token", "refresh_token": refresh_tokens[0]}).to_string();
    let request = raw_json_request(
        "POST",
        "/v1/auth/%74oken",
        &[("Idempotency-Key", "k2")],
        &refresh,
    );
    let (status, first) = raw_exchange(&app.base, &request);
    assert_eq!(status, 200, "{first}");
    // Within the grace period a second presentation gets a successor of its own, never the
    // stored first answer; after it, the reuse is detected as always.
    let (status, second) = raw_exchange(&app.base, &request);
    assert_eq!(status, 200, "{second}");
    assert!(!second.to_ascii_lowercase().contains("idempotent-replayed"));
    assert_ne!(
        body_of(&first)["refresh_token"],
        body_of(&second)["refresh_token"]
    );
    age_rotation(app, &refresh_tokens[0], 31);
    let (status, text) = raw_exchange(&app.base, &request);
    assert_eq!(status, 400, "the reused refresh token is refused: {text}");
    assert!(text.contains("invalid_grant"), "{text}");

    let signup = json!({"email": roster_tests::unique_email("encoded"),
                        "password": "correct horse battery"})
    .to_string();
    let request = raw_json_request("POST", "/v1/%75sers", &[("Idempotency-Key", "k3")], &signup);
    assert_eq!(raw_exchange(&app.base, &request).0, 201);
    assert_eq!(
        stored_keys(app),
        0,
        "nothing about these requests was stored"
    );
}

/// A stored response is replayed only to a credential that still works: after signing out,
/// or once the user is disabled, the same request with the same key is 401.
fn a_signed_out_session_gets_no_replay(app: &TestApp) {
    let ada = app.sign_up("ada");
    let body = json!({"name": "acme"});
    let first = post_with_key(app, "/v1/organizations", Some(&ada.token), "once", &body);
    assert_eq!(first.status, 201, "{}", first.text);
    let revoked = app.client.post(
        "/v1/auth/revoke",
        None,
        &json!({"token": ada.refresh_token}),
    );
    assert_eq!(revoked.status, 204);
    let retry = post_with_key(app, "/v1/organizations", Some(&ada.token), "once", &body);
    assert_unauthorized(&retry);
    assert_eq!(retry.header("idempotent-replayed"), None);

    // The owner signing in again may still retry: the key is the user's, not the session's.
    let again = app.login(&ada.email, &ada.password);
    let token = again["access_token"].as_str().unwrap();
    let retry = post_with_key(app, "/v1/organizations", Some(token), "once", &body);
    assert_eq!(retry.status, 201, "{}", retry.text);
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
}

#[test]
fn a_disabled_user_gets_no_replay() {
    roster_tests::with_admin(&[], |app, admin| {
        let ada = app.sign_up("ada");
        let body = json!({"name": "acme"});
        let first = post_with_key(app, "/v1/organizations", Some(&ada.token), "once", &body);
        assert_eq!(first.status, 201, "{}", first.text);
        let disabled = app.client.patch(
            &format!("/v1/users/{}", ada.id),
            Some(&admin.token),
            &json!({"state": "disabled"}),
        );
        assert_eq!(disabled.status, 200, "{}", disabled.text);
        let retry = post_with_key(app, "/v1/organizations", Some(&ada.token), "once", &body);
        assert_unauthorized(&retry);
        assert_eq!(retry.header("idempotent-replayed"), None);
    });
}

backend_tests!(
    encoded_paths_never_reach_the_idempotency_store,
    a_signed_out_session_gets_no_replay,
    an_abandoned_claim_lets_a_retry_run,
    retried_post_replays_the_first_response,
    same_key_with_another_body_is_422,
    keys_belong_to_one_caller,
    token_endpoint_never_replays_secrets,
    an_overlong_key_is_400,
);
