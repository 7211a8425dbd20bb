use roster_store::diesel::{ExpressionMethods, RunQueryDsl};
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
/// for a day: after a minute, a retry runs. The claim here is the server's own, made by a real
/// request and then aged and emptied as a request that died leaves it.
fn an_abandoned_claim_lets_a_retry_run(app: &TestApp) {
    let ada = app.sign_up("ada");
    let body = json!({"name": "scripts"});
    let first = post_with_key(
        app,
        "/v1/users/me/api-keys",
        Some(&ada.token),
        "stuck",
        &body,
    );
    assert_eq!(first.status, 201, "{}", first.text);
    let five_minutes_ago =
        roster_store::Ts::from_datetime(chrono::Utc::now() - chrono::Duration::minutes(5));
    let died = |conn: &mut roster_store::DbConn| {
        use roster_store::schema::idempotency_keys::dsl::*;
        roster_store::diesel::update(idempotency_keys)
            .set((
                status.eq(None::<i32>),
                response_headers.eq(None::<roster_store::JsonValue>),
                response_body.eq(None::<Vec<u8>>),
                created_at.eq(five_minutes_ago),
            ))
            .execute(conn)
            .map_err(roster_store::StoreError::from)
    };
    assert_eq!(db(app).write(died).unwrap(), 1, "the request's claim");
    let retry = post_with_key(
        app,
        "/v1/users/me/api-keys",
        Some(&ada.token),
        "stuck",
        &body,
    );
    assert_eq!(retry.status, 201, "{}", retry.text);
    assert_eq!(retry.header("idempotent-replayed"), None);
    assert_ne!(retry.body["id"], first.body["id"], "it ran again");
}

/// A stored response goes only to the credential that made it, with the same reach: a token
/// scoped to another organization, using the same key and body, gets no other organization's
/// secret.
fn a_replay_goes_to_the_same_credential_and_scope_only(app: &TestApp) {
    let ada = app.sign_up("ada");
    app.create_org(&ada, "alpha");
    app.create_org(&ada, "beta");
    let body = json!({"name": "ci", "role": "viewer"});
    let made = post_with_key(
        app,
        "/v1/organizations/beta/api-keys",
        Some(&ada.token),
        "k1",
        &body,
    );
    assert_eq!(made.status, 201, "{}", made.text);
    let scoped = app.client.post(
        "/v1/auth/token",
        None,
        &json!({"grant_type": "password", "username": ada.email, "password": ada.password,
                "organization": "alpha"}),
    );
    let scoped = scoped.body["access_token"].as_str().unwrap();
    let replayed = post_with_key(
        app,
        "/v1/organizations/beta/api-keys",
        Some(scoped),
        "k1",
        &body,
    );
    assert_eq!(replayed.status, 404, "{}", replayed.text);
    assert!(replayed.body.get("key").is_none());
}

/// A stored response is replayed only while its caller may still call the operation: a member
/// demoted since gets the refusal of now, not the key made then.
fn a_replay_needs_the_permission_still(app: &TestApp) {
    let (owner, staff) = crate::support::access::staffed_org(app, "acme", &["admin"]);
    let admin = &staff[0];
    let body = json!({"name": "ci", "role": "viewer"});
    let made = post_with_key(
        app,
        "/v1/organizations/acme/api-keys",
        Some(&admin.token),
        "k",
        &body,
    );
    assert_eq!(made.status, 201, "{}", made.text);
    let again = post_with_key(
        app,
        "/v1/organizations/acme/api-keys",
        Some(&admin.token),
        "k",
        &body,
    );
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(
        again.body["key"], made.body["key"],
        "replayed while allowed"
    );
    let demoted = app.client.patch(
        &crate::support::access::member_path("acme", &admin.id),
        Some(&owner.token),
        &json!({"role": "viewer"}),
    );
    assert_eq!(demoted.status, 200, "{}", demoted.text);
    let late = post_with_key(
        app,
        "/v1/organizations/acme/api-keys",
        Some(&admin.token),
        "k",
        &body,
    );
    assert_eq!(late.status, 403, "{}", late.text);
    assert!(late.body.get("key").is_none());
}

/// Only an operation's result is kept: a refusal is not pinned to the key, so the same request
/// made again once the caller may make it runs (rather than replaying the old 403).
fn a_refusal_is_not_kept(app: &TestApp) {
    let (owner, staff) = crate::support::access::staffed_org(app, "acme", &["viewer"]);
    let viewer = &staff[0];
    let body = json!({"name": "ci", "role": "viewer"});
    let path = "/v1/organizations/acme/api-keys";
    let refused = post_with_key(app, path, Some(&viewer.token), "k", &body);
    assert_eq!(refused.status, 403, "{}", refused.text);
    let promoted = app.client.patch(
        &crate::support::access::member_path("acme", &viewer.id),
        Some(&owner.token),
        &json!({"role": "admin"}),
    );
    assert_eq!(promoted.status, 200, "{}", promoted.text);
    let made = post_with_key(app, path, Some(&viewer.token), "k", &body);
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.header("idempotent-replayed"), None);
}

/// The response is kept in the operation's own transaction: when it cannot be kept (here a
/// trigger refuses the write, as a crash would stop it), the change does not happen either, so
/// a retry never does the work twice.
fn the_response_is_kept_with_the_change_or_not_at_all(app: &TestApp) {
    let ada = app.sign_up("ada");
    let refuse = match app.backend {
        roster_tests::Backend::Sqlite => vec![
            "CREATE TRIGGER refuse_responses BEFORE UPDATE ON idempotency_keys \
             WHEN NEW.status IS NOT NULL BEGIN SELECT RAISE(ABORT, 'no responses kept'); END"
                .to_owned(),
        ],
        roster_tests::Backend::Postgres => vec![
            "CREATE FUNCTION refuse_responses() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN IF NEW.status IS NOT NULL THEN RAISE EXCEPTION 'no responses kept'; \
             END IF; RETURN NEW; END $$"
                .to_owned(),
            "CREATE TRIGGER refuse_responses BEFORE UPDATE ON idempotency_keys \
             FOR EACH ROW EXECUTE FUNCTION refuse_responses()"
                .to_owned(),
        ],
    };
    let drop = match app.backend {
        roster_tests::Backend::Sqlite => vec!["DROP TRIGGER IF EXISTS refuse_responses".to_owned()],
        roster_tests::Backend::Postgres => vec![
            "DROP TRIGGER IF EXISTS refuse_responses ON idempotency_keys".to_owned(),
            "DROP FUNCTION IF EXISTS refuse_responses()".to_owned(),
        ],
    };
    let body = json!({"name": "scripts"});
    {
        // Dropped however this ends: the database may be reused by other tests.
        let _trigger = SqlGuard::run(app, &refuse, drop);
        let failed = post_with_key(
            app,
            "/v1/users/me/api-keys",
            Some(&ada.token),
            "once",
            &body,
        );
        let listed = app.client.get("/v1/users/me/api-keys", Some(&ada.token));
        let keys = listed.body["data"].as_array().unwrap().len();
        assert!(
            failed.status >= 500 && keys == 0,
            "answered {} with {keys} keys made: the change outlived its lost response",
            failed.status
        );
    }
    let retry = post_with_key(
        app,
        "/v1/users/me/api-keys",
        Some(&ada.token),
        "once",
        &body,
    );
    assert_eq!(retry.status, 201, "{}", retry.text);
    let listed = app.client.get("/v1/users/me/api-keys", Some(&ada.token));
    assert_eq!(
        listed.body["data"].as_array().unwrap().len(),
        1,
        "made once"
    );
}

/// Statements run now, and others run when the guard is dropped (a panic included).
struct SqlGuard<'a> {
    app: &'a TestApp,
    undo: Vec<String>,
}

impl<'a> SqlGuard<'a> {
    fn run(app: &'a TestApp, statements: &[String], undo: Vec<String>) -> SqlGuard<'a> {
        run_sql(app, statements);
        SqlGuard { app, undo }
    }
}

impl Drop for SqlGuard<'_> {
    fn drop(&mut self) {
        run_sql(self.app, &self.undo);
    }
}

fn run_sql(app: &TestApp, statements: &[String]) {
    db(app)
        .write(|conn| {
            for statement in statements {
                roster_store::diesel::sql_query(statement.as_str())
                    .execute(conn)
                    .map_err(roster_store::StoreError::from)?;
            }
            Ok::<_, roster_store::StoreError>(())
        })
        .unwrap();
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
    a_refusal_is_not_kept,
    a_replay_goes_to_the_same_credential_and_scope_only,
    a_replay_needs_the_permission_still,
    the_response_is_kept_with_the_change_or_not_at_all,
    encoded_paths_never_reach_the_idempotency_store,
    a_signed_out_session_gets_no_replay,
    an_abandoned_claim_lets_a_retry_run,
    retried_post_replays_the_first_response,
    same_key_with_another_body_is_422,
    keys_belong_to_one_caller,
    token_endpoint_never_replays_secrets,
    an_overlong_key_is_400,
);
