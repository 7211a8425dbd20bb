//! Signing up: `POST /v1/users` without credentials.

use roster_store::diesel::prelude::*;
use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, unique_email, TestApp};
use serde_json::json;

use crate::support::stored::{db, stored_user};

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

/// Sign-up bodies carry a password, so sign-up keeps no request fingerprint (a fast hash of
/// a password is what argon2 is there to avoid): a retry runs again and finds the email taken.
fn sign_up_stores_no_idempotency_fingerprint_of_the_password(app: &TestApp) {
    let body = json!({"email": unique_email("idem"), "password": "correct horse battery"});
    let post = || {
        app.client.send_with(
            "POST",
            "/v1/users",
            None,
            &[("Idempotency-Key", "sign-up-once")],
            Some(&body),
        )
    };
    let first = post();
    assert_eq!(first.status, 201, "{}", first.text);
    let retry = post();
    assert_eq!(retry.status, 409, "{}", retry.text);
    assert_eq!(retry.header("idempotent-replayed"), None);
    let stored: i64 = db(app)
        .read(|conn| {
            roster_store::schema::idempotency_keys::table
                .count()
                .get_result(conn)
                .map_err(roster_store::StoreError::from)
        })
        .unwrap();
    assert_eq!(stored, 0);
}

backend_tests!(
    sign_up_answers_201_with_location_and_no_password,
    duplicate_email_in_any_case_is_a_409,
    sign_up_reports_every_invalid_field,
    sign_up_stores_no_idempotency_fingerprint_of_the_password,
);
