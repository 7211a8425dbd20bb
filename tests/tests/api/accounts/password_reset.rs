//! The way back from a forgotten password, and a platform admin setting one.

use std::thread;

use roster_tests::problem::{assert_invalid_grant, assert_problem};
use roster_tests::{mail_tests, Backend, MailSink, TestApp};
use serde_json::json;

use crate::support::token_endpoint::refresh;

fn reset(app: &TestApp, email: &str) -> roster_tests::Res {
    app.client
        .post("/v1/auth/password-reset", None, &json!({"email": email}))
}

fn an_unknown_address_is_answered_like_a_known_one_and_gets_nothing(
    app: &TestApp,
    sink: &MailSink,
) {
    let user = app.sign_up("forgetful");
    let nobody = roster_tests::unique_email("nobody");
    let known = reset(app, &user.email.to_uppercase());
    let unknown = reset(app, &nobody);
    assert_eq!(known.status, 202, "{}", known.text);
    assert_eq!(unknown.status, 202, "{}", unknown.text);
    assert_eq!(known.text, unknown.text);
    let mail = sink.wait_for(&user.email, "Reset your password");
    assert!(
        mail.link()
            .starts_with("https://app.example.test/reset-password?token=rsp_"),
        "{}",
        mail.link()
    );
    thread::sleep(std::time::Duration::from_millis(1000));
    assert!(sink.to(&nobody).is_empty());
}

fn the_reset_link_sets_the_password_once_and_ends_every_session(app: &TestApp, sink: &MailSink) {
    let user = app.sign_up("resetter");
    let other_session = app.login(&user.email, &user.password);
    assert_eq!(reset(app, &user.email).status, 202);
    let token = sink.wait_for(&user.email, "Reset your password").token();
    let res = app.client.post(
        "/v1/auth/password-reset/confirm",
        None,
        &json!({"token": token, "new_password": "a fresh start 2026"}),
    );
    assert_eq!(res.status, 204, "{}", res.text);
    // Every session ended, this one's refresh token too.
    assert_invalid_grant(&refresh(app, &user.refresh_token));
    assert_invalid_grant(&refresh(
        app,
        other_session["refresh_token"].as_str().unwrap(),
    ));
    let old = app.client.post(
        "/v1/auth/token",
        None,
        &json!({"grant_type": "password", "username": user.email, "password": user.password}),
    );
    assert_invalid_grant(&old);
    app.login(&user.email, "a fresh start 2026");
    sink.wait_for(&user.email, "Your password was changed");
    // The link was mailed to the account's address: following it proved the address.
    let me = app.client.get(
        "/v1/users/me",
        Some(
            app.login(&user.email, "a fresh start 2026")["access_token"]
                .as_str()
                .unwrap(),
        ),
    );
    assert_eq!(me.body["email_verified"], true);
    let again = app.client.post(
        "/v1/auth/password-reset/confirm",
        None,
        &json!({"token": token, "new_password": "yet another one"}),
    );
    assert_problem(&again, 400, "invalid-token");
}

fn a_reset_is_throttled_per_address_alike_for_unknown_ones(app: &TestApp, _sink: &MailSink) {
    let user = app.sign_up("impatient");
    let nobody = roster_tests::unique_email("impatient-nobody");
    for email in [user.email.as_str(), nobody.as_str()] {
        assert_eq!(reset(app, email).status, 202);
        let res = reset(app, email);
        assert_problem(&res, 429, "rate-limited");
        assert!(res.header("retry-after").is_some());
    }
}

fn a_short_new_password_is_a_422_and_uses_no_token(app: &TestApp, sink: &MailSink) {
    let user = app.sign_up("short-reset");
    reset(app, &user.email);
    let token = sink.wait_for(&user.email, "Reset your password").token();
    let res = app.client.post(
        "/v1/auth/password-reset/confirm",
        None,
        &json!({"token": token, "new_password": "short"}),
    );
    assert_eq!(res.status, 422, "{}", res.text);
    let res = app.client.post(
        "/v1/auth/password-reset/confirm",
        None,
        &json!({"token": token, "new_password": "long enough now"}),
    );
    assert_eq!(res.status, 204, "{}", res.text);
}

fn two_resets_with_one_token_at_once_one_wins(app: &TestApp, sink: &MailSink) {
    let user = app.sign_up("racer");
    reset(app, &user.email);
    let token = sink.wait_for(&user.email, "Reset your password").token();
    let statuses: Vec<(u16, String)> = thread::scope(|s| {
        let racers: Vec<_> = ["first racer pw", "second racer pw"]
            .into_iter()
            .map(|password| {
                let token = token.clone();
                s.spawn(move || {
                    let res = app.client.post(
                        "/v1/auth/password-reset/confirm",
                        None,
                        &json!({"token": token, "new_password": password}),
                    );
                    (res.status, password.to_owned())
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let winners: Vec<_> = statuses.iter().filter(|(s, _)| *s == 204).collect();
    assert_eq!(winners.len(), 1, "{statuses:?}");
    assert!(statuses.iter().any(|(s, _)| *s == 400), "{statuses:?}");
    app.login(&user.email, &winners[0].1);
}

mail_tests!(
    an_unknown_address_is_answered_like_a_known_one_and_gets_nothing,
    the_reset_link_sets_the_password_once_and_ends_every_session,
    a_reset_is_throttled_per_address_alike_for_unknown_ones,
    a_short_new_password_is_a_422_and_uses_no_token,
    two_resets_with_one_token_at_once_one_wins,
);

fn admin_sets_a_password(backend: Backend) {
    let sink = MailSink::start();
    let url = sink.url();
    let Some((app, admin)) = TestApp::spawn_with_admin(backend, &["--smtp-url", &url]) else {
        return;
    };
    let user = app.sign_up("locked-out");
    let path = format!("/v1/users/{}/password", user.id);
    let res = app.client.send_with(
        "PUT",
        &path,
        Some(&user.token),
        &[],
        Some(&json!({"password": "mine now!"})),
    );
    assert_problem(&res, 403, "forbidden");
    let res = app.client.send_with(
        "PUT",
        &path,
        Some(&admin.token),
        &[],
        Some(&json!({"password": "temporary 123"})),
    );
    assert_eq!(res.status, 204, "{}", res.text);
    assert_invalid_grant(&refresh(&app, &user.refresh_token));
    app.login(&user.email, "temporary 123");
    sink.wait_for(&user.email, "Your password was changed");
    let missing = app.client.send_with(
        "PUT",
        "/v1/users/0193a5c2-0000-7000-8000-000000000000/password",
        Some(&admin.token),
        &[],
        Some(&json!({"password": "temporary 123"})),
    );
    assert_problem(&missing, 404, "not-found");
}

#[test]
fn sqlite_admin_sets_a_password() {
    admin_sets_a_password(Backend::Sqlite);
}

#[test]
fn postgres_admin_sets_a_password() {
    admin_sets_a_password(Backend::Postgres);
}
