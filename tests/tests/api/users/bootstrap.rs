//! The platform admin named by `ROSTER_ADMIN_EMAIL`/`ROSTER_ADMIN_PASSWORD` at start-up.

use roster_tests::{spawn_server, Backend, Client, TestDb};
use serde_json::json;

/// Signs up `email` on a fresh server, then restarts Roster on the same database with the
/// admin flags; returns the account as `/v1/users/me` sees it after the restart.
fn restart_with_admin_flags(
    backend: Backend,
    signup_password: &str,
    admin_password: &str,
) -> Option<serde_json::Value> {
    let db = TestDb::create(backend)?;
    let email = roster_tests::unique_email("boss");
    let first = Client::new(&spawn_server(&db.url, &[]));
    let created = first.post(
        "/v1/users",
        None,
        &json!({"email": email, "password": signup_password}),
    );
    assert_eq!(created.status, 201, "{}", created.body);

    let second = Client::new(&spawn_server(
        &db.url,
        &["--admin-email", &email, "--admin-password", admin_password],
    ));
    let tokens = second.post(
        "/v1/auth/token",
        None,
        &json!({"grant_type": "password", "username": email, "password": signup_password}),
    );
    assert_eq!(
        tokens.status, 200,
        "the account keeps its own password: {}",
        tokens.body
    );
    let me = second.get("/v1/users/me", tokens.body["access_token"].as_str());
    Some(me.body)
}

#[test]
fn admin_flags_never_promote_someone_elses_account() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(me) =
            restart_with_admin_flags(backend, "first to sign up", "the operator's secret")
        else {
            continue;
        };
        assert_eq!(me["is_admin"], false, "on {backend:?}");
    }
}

#[test]
fn admin_flags_promote_the_account_whose_password_they_carry() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(me) = restart_with_admin_flags(backend, "operator password", "operator password")
        else {
            continue;
        };
        assert_eq!(me["is_admin"], true, "on {backend:?}");
    }
}
