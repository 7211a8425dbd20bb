//! How the auth endpoints refuse a body: wrong content type, too large, malformed JSON,
//! unknown fields.

use roster_tests::problem::{assert_only_field_error, assert_problem};
use roster_tests::{backend_tests, unique_email, TestApp};
use serde_json::json;

use crate::support::token_endpoint::token;

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
    assert_only_field_error(&res, "remember_me");
    assert_eq!(res.body["errors"][0]["code"], "unknown_field");

    let res = app.client.post(
        "/v1/users",
        None,
        &json!({"email": unique_email("unknown"), "password": "correct horse battery",
                "nickname": "ada"}),
    );
    assert_only_field_error(&res, "nickname");
}

backend_tests!(
    text_plain_body_is_a_415,
    body_over_one_mebibyte_is_a_413,
    malformed_json_is_a_400,
    unknown_json_field_is_a_422_naming_it,
);
