//! Changing the caller's password ends every other sign-in.

use roster_tests::problem::{assert_invalid_grant, assert_only_field_error, assert_unauthorized};
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::stored::stored_user;
use crate::support::token_endpoint::{password_grant, refresh};

fn change_password_with_a_wrong_current_password_is_a_422(app: &TestApp) {
    let user = app.sign_up("wrong-current");
    let res = app.client.post(
        "/v1/users/me/password",
        Some(&user.token),
        &json!({"current_password": "not my password", "new_password": "a brand new one"}),
    );
    assert_only_field_error(&res, "current_password");
    app.login(&user.email, &user.password);
}

fn change_password_to_a_short_one_is_a_422(app: &TestApp) {
    let user = app.sign_up("short-new");
    let res = app.client.post(
        "/v1/users/me/password",
        Some(&user.token),
        &json!({"current_password": user.password, "new_password": "short"}),
    );
    assert_only_field_error(&res, "new_password");
    app.login(&user.email, &user.password);
}

fn change_password_keeps_this_session_and_ends_the_others(app: &TestApp) {
    let user = app.sign_up("changer");
    let other_session = app.login(&user.email, &user.password);
    let hash_before = stored_user(app, &user.email).password_hash;

    let res = app.client.post(
        "/v1/users/me/password",
        Some(&user.token),
        &json!({"current_password": user.password, "new_password": "a brand new password"}),
    );
    assert_eq!(res.status, 204, "{}", res.text);
    assert!(res.text.is_empty());

    assert_invalid_grant(&password_grant(app, &user.email, &user.password));
    app.login(&user.email, "a brand new password");
    assert_ne!(stored_user(app, &user.email).password_hash, hash_before);

    // The other sign-in is over; this one goes on.
    assert_invalid_grant(&refresh(
        app,
        other_session["refresh_token"].as_str().unwrap(),
    ));
    let this_session = refresh(app, &user.refresh_token);
    assert_eq!(this_session.status, 200, "{}", this_session.text);
}

fn change_password_needs_a_signed_in_caller(app: &TestApp) {
    let res = app.client.post(
        "/v1/users/me/password",
        None,
        &json!({"current_password": "whatever1", "new_password": "whatever2"}),
    );
    assert_unauthorized(&res);
}

backend_tests!(
    change_password_with_a_wrong_current_password_is_a_422,
    change_password_to_a_short_one_is_a_422,
    change_password_keeps_this_session_and_ends_the_others,
    change_password_needs_a_signed_in_caller,
);
