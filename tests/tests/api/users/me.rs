//! The caller's own profile: `GET` and `PATCH /v1/users/me`.

use roster_tests::problem::{assert_invalid_grant, assert_only_field_error, assert_problem};
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::stored::stored_user;
use crate::support::token_endpoint::password_grant;

fn get_me_returns_the_signed_in_user(app: &TestApp) {
    let user = app.sign_up("me");
    let res = app.client.get("/v1/users/me", Some(&user.token));
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["id"], user.id.as_str());
    assert_eq!(res.body["email"], user.email.as_str());
    assert_eq!(res.body["name"], "me");
    assert_eq!(res.body["state"], "active");
    assert_eq!(res.body["is_admin"], false);
    assert!(res.body.get("password_hash").is_none());
}

fn patch_me_sets_and_clears_the_name(app: &TestApp) {
    let user = app.sign_up("named");
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"name": "Ada Lovelace"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["name"], "Ada Lovelace");
    assert_eq!(res.body["email"], user.email.as_str());

    // An absent field stays as it is.
    let res = app
        .client
        .patch("/v1/users/me", Some(&user.token), &json!({}));
    assert_eq!(res.status, 200);
    assert_eq!(res.body["name"], "Ada Lovelace");

    let res = app
        .client
        .patch("/v1/users/me", Some(&user.token), &json!({"name": null}));
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.body["name"].is_null());
    let me = app.client.get("/v1/users/me", Some(&user.token));
    assert!(me.body["name"].is_null());
    assert_eq!(stored_user(app, &user.email).name, None);
}

/// A new address waits, unproven, until its link is followed (`accounts::verification`
/// follows it): sign-in stays with the old one meanwhile.
fn patch_me_asks_for_a_new_email_which_waits_until_proven(app: &TestApp) {
    let user = app.sign_up("mover");
    let new_email = format!("Moved-{}@Example.test", uuid::Uuid::now_v7().simple());
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"email": new_email}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["email"], user.email.as_str());
    assert_eq!(res.body["pending_email"], new_email.to_lowercase());
    app.login(&user.email, &user.password);
    assert_invalid_grant(&password_grant(app, &new_email, &user.password));
    // Asking for the current address withdraws the change.
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"email": user.email}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["pending_email"], serde_json::Value::Null);
}

fn patch_me_to_a_taken_email_is_a_409(app: &TestApp) {
    let user = app.sign_up("taker");
    let other = app.sign_up("taken");
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"email": other.email.to_uppercase()}),
    );
    assert_problem(&res, 409, "conflict");
    assert_eq!(stored_user(app, &user.email).id.to_string(), user.id);
}

fn patch_me_with_an_unknown_field_names_it(app: &TestApp) {
    let user = app.sign_up("unknown");
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"nickname": "ada"}),
    );
    assert_only_field_error(&res, "nickname");
    assert_eq!(res.body["errors"][0]["code"], "unknown_field");

    // Nobody makes themselves a platform admin through their profile.
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"is_admin": true}),
    );
    assert_only_field_error(&res, "is_admin");
    assert!(!stored_user(app, &user.email).is_admin);
}

fn patch_me_with_an_invalid_email_is_a_422(app: &TestApp) {
    let user = app.sign_up("bad-email");
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"email": "no-at-sign"}),
    );
    assert_only_field_error(&res, "email");
}

fn user_profile_has_an_etag_and_patch_honours_if_match(app: &TestApp) {
    let user = app.sign_up("etag");
    let res = app.client.get("/v1/users/me", Some(&user.token));
    assert!(
        res.header("etag").is_some(),
        "API.md: every single-resource GET returns an ETag; headers were {:?}",
        res.headers
    );
    let stale = app.client.send_with(
        "PATCH",
        "/v1/users/me",
        Some(&user.token),
        &[("If-Match", "\"stale\"")],
        Some(&json!({"name": "x"})),
    );
    assert_eq!(
        stale.status, 412,
        "API.md: PATCH honours If-Match: {}",
        stale.text
    );
}

/// An email cannot be cleared: `null` is refused by name, and nothing changes.
fn patch_me_with_a_null_email_is_a_422(app: &TestApp) {
    let user = app.sign_up("nullmail");
    let res = app
        .client
        .patch("/v1/users/me", Some(&user.token), &json!({"email": null}));
    assert_only_field_error(&res, "email");
    let me = app.client.get("/v1/users/me", Some(&user.token));
    assert_eq!(me.body["email"], user.email.as_str());
}

backend_tests!(
    patch_me_with_a_null_email_is_a_422,
    get_me_returns_the_signed_in_user,
    patch_me_sets_and_clears_the_name,
    patch_me_asks_for_a_new_email_which_waits_until_proven,
    patch_me_to_a_taken_email_is_a_409,
    patch_me_with_an_unknown_field_names_it,
    patch_me_with_an_invalid_email_is_a_422,
    user_profile_has_an_etag_and_patch_honours_if_match,
);
