//! Verified addresses: sign-up and an email change mail a one-time link; a changed address
//! waits in `pending_email`, holding nothing, until it is proven.

use roster_tests::problem::assert_problem;
use roster_tests::{mail_tests, MailSink, TestApp};
use serde_json::json;

use super::verify;

fn the_sign_up_link_verifies_the_address_once(app: &TestApp, sink: &MailSink) {
    let user = app.sign_up("verifier");
    let me = app.client.get("/v1/users/me", Some(&user.token));
    assert_eq!(me.body["email_verified"], false);
    assert_eq!(me.body["email_verified_at"], serde_json::Value::Null);
    let mail = sink.wait_for(&user.email, "Confirm your email address");
    let token = mail.token();
    let res = app
        .client
        .post("/v1/auth/verify-email", None, &json!({"token": token}));
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["email_verified"], true);
    assert!(res.body["email_verified_at"].is_string());
    let me = app.client.get("/v1/users/me", Some(&user.token));
    assert_eq!(me.body["email_verified"], true);
    let again = app
        .client
        .post("/v1/auth/verify-email", None, &json!({"token": token}));
    assert_problem(&again, 400, "invalid-token");
    let forged = app.client.post(
        "/v1/auth/verify-email",
        None,
        &json!({"token": "rsv_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}),
    );
    assert_problem(&forged, 400, "invalid-token");
}

fn a_new_address_waits_until_it_is_proven_and_the_old_one_is_told(app: &TestApp, sink: &MailSink) {
    let user = app.sign_up("mover");
    let new = roster_tests::unique_email("moved");
    let res = app
        .client
        .patch("/v1/users/me", Some(&user.token), &json!({"email": new}));
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["email"], user.email.as_str());
    assert_eq!(res.body["pending_email"], new.as_str());
    // Not the account's yet: no sign-in with it.
    let res = app.client.post(
        "/v1/auth/token",
        None,
        &json!({"grant_type": "password", "username": new, "password": user.password}),
    );
    assert_eq!(res.status, 400, "{}", res.text);
    let mail = sink.wait_for(&new, "Confirm your email address");
    let res = app.client.post(
        "/v1/auth/verify-email",
        None,
        &json!({"token": mail.token()}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["email"], new.as_str());
    assert_eq!(res.body["pending_email"], serde_json::Value::Null);
    assert_eq!(res.body["email_verified"], true);
    let notice = sink.wait_for(&user.email, "Your email address was changed");
    assert!(notice.text.contains(&new), "{}", notice.text);
    app.login(&new, &user.password);
}

fn a_pending_address_does_not_hold_uniqueness_against_someone_who_proves_it_first(
    app: &TestApp,
    sink: &MailSink,
) {
    let slow = app.sign_up("slow");
    let contested = roster_tests::unique_email("contested");
    let res = app.client.patch(
        "/v1/users/me",
        Some(&slow.token),
        &json!({"email": contested}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let slow_link = sink.wait_for(&contested, "Confirm your email address");
    // Someone else signs up with it (a pending address holds nothing) and proves it.
    let res = app.client.post(
        "/v1/users",
        None,
        &json!({"email": contested, "password": "correct horse battery"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    sink.wait_for_count(&contested, 2);
    let res = app.client.post(
        "/v1/auth/verify-email",
        None,
        &json!({"token": slow_link.token()}),
    );
    assert_problem(&res, 409, "conflict");
    let me = app.client.get("/v1/users/me", Some(&slow.token));
    assert_eq!(me.body["email"], slow.email.as_str());
}

fn asking_again_mails_a_new_link_and_is_throttled(app: &TestApp, sink: &MailSink) {
    let user = app.sign_up("again");
    let first = sink.wait_for(&user.email, "Confirm your email address");
    let res = app
        .client
        .post("/v1/users/me/verify-email", Some(&user.token), &json!({}));
    assert_eq!(res.status, 202, "{}", res.text);
    let mails = sink.wait_for_count(&user.email, 2);
    let second = mails.last().unwrap();
    assert_ne!(first.token(), second.token());
    // Only the newest link works.
    let res = app.client.post(
        "/v1/auth/verify-email",
        None,
        &json!({"token": first.token()}),
    );
    assert_problem(&res, 400, "invalid-token");
    let res = app
        .client
        .post("/v1/users/me/verify-email", Some(&user.token), &json!({}));
    assert_problem(&res, 429, "rate-limited");
    assert!(res.header("retry-after").is_some());
    let res = app.client.post(
        "/v1/auth/verify-email",
        None,
        &json!({"token": second.token()}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
}

fn a_verified_address_with_nothing_pending_has_nothing_to_send(app: &TestApp, sink: &MailSink) {
    let user = app.sign_up("settled");
    verify(app, sink, &user);
    let res = app
        .client
        .post("/v1/users/me/verify-email", Some(&user.token), &json!({}));
    assert_problem(&res, 409, "conflict");
}

mail_tests!(
    the_sign_up_link_verifies_the_address_once,
    a_new_address_waits_until_it_is_proven_and_the_old_one_is_told,
    a_pending_address_does_not_hold_uniqueness_against_someone_who_proves_it_first,
    asking_again_mails_a_new_link_and_is_throttled,
    a_verified_address_with_nothing_pending_has_nothing_to_send,
);

fn one_link_followed_twice_at_once_verifies_once(app: &TestApp, sink: &MailSink) {
    let user = app.sign_up("double-click");
    let token = sink
        .wait_for(&user.email, "Confirm your email address")
        .token();
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let clicks: Vec<_> = (0..2)
            .map(|_| {
                let token = token.clone();
                s.spawn(move || {
                    app.client
                        .post("/v1/auth/verify-email", None, &json!({"token": token}))
                        .status
                })
            })
            .collect();
        clicks.into_iter().map(|c| c.join().unwrap()).collect()
    });
    let mut sorted = statuses.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![200, 400], "{statuses:?}");
}

mod races {
    use roster_tests::mail_tests;

    use super::*;

    mail_tests!(one_link_followed_twice_at_once_verifies_once);
}
