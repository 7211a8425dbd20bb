//! How the auth endpoints refuse a body: wrong content type, too large, malformed JSON,
//! unknown fields.

use roster_tests::problem::{
    assert_invalid_request, assert_oauth_error, assert_only_field_error, assert_problem,
    assert_unauthorized,
};
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
        if path == "/v1/auth/token" {
            // RFC 6749 §5.2: the token endpoint says it in OAuth2's words.
            assert_oauth_error(&res, "invalid_request");
            assert_problem(&res, 400, "invalid-request");
        } else {
            assert_problem(&res, 400, "bad-request");
        }
    }
}

fn an_unknown_json_field_is_named(app: &TestApp) {
    let res = token(
        app,
        &json!({"grant_type": "password", "username": "a@example.test", "password": "x",
                "remember_me": true}),
    );
    assert_invalid_request(&res, "remember_me");
    assert_eq!(res.body["errors"][0]["code"], "unknown_field");

    let res = app.client.post(
        "/v1/users",
        None,
        &json!({"email": unique_email("unknown"), "password": "correct horse battery",
                "nickname": "ada"}),
    );
    assert_only_field_error(&res, "nickname");
}

/// `{"password": "a", "password": "b"}` is not guessed at (serde would keep the last): 400,
/// naming the key, on every body parser (JSON anywhere, and the token endpoint's form).
fn a_repeated_json_key_is_a_400_naming_it(app: &TestApp) {
    let user = app.sign_up("dup");
    let bodies: [(&str, Option<&str>, String); 4] = [
        (
            "/v1/auth/token",
            None,
            format!(
                r#"{{"grant_type":"password","username":"{}","password":"wrong","password":"{}"}}"#,
                user.email, user.password
            ),
        ),
        (
            "/v1/users",
            None,
            format!(
                r#"{{"email":"{}","password":"correct horse battery","email":"x@example.test"}}"#,
                unique_email("dup")
            ),
        ),
        (
            "/v1/organizations",
            Some(&user.token),
            r#"{"name":"acme","custom":{"plan":"gold","plan":"free"}}"#.to_owned(),
        ),
        (
            "/v1/organizations",
            Some(&user.token),
            r#"{"name":"acme","name":"globex"}"#.to_owned(),
        ),
    ];
    for (path, token, body) in bodies {
        let res = app
            .client
            .send_raw("POST", path, token, "application/json", body.as_bytes());
        if path == "/v1/auth/token" {
            assert_oauth_error(&res, "invalid_request");
        } else {
            assert_problem(&res, 400, "bad-request");
        }
        let key = if body.contains(r#""plan":"free""#) {
            "plan"
        } else if path == "/v1/auth/token" {
            "password"
        } else if path == "/v1/users" {
            "email"
        } else {
            "name"
        };
        assert!(
            res.body["detail"]
                .as_str()
                .unwrap()
                .contains(&format!("\"{key}\"")),
            "{path}: {}",
            res.text
        );
    }
    let form = format!(
        "grant_type=password&username={}&password=wrong&password={}",
        user.email.replace('@', "%40"),
        user.password.replace(' ', "+")
    );
    let res = app.client.send_raw(
        "POST",
        "/v1/auth/token",
        None,
        "application/x-www-form-urlencoded",
        form.as_bytes(),
    );
    assert_oauth_error(&res, "invalid_request");
    assert!(res.text.contains("password"), "{}", res.text);
    let listed = app.client.get("/v1/organizations", Some(&user.token));
    assert_eq!(listed.body["data"], json!([]), "nothing was created");
}

/// `X-Api-Key` carries API keys (`rst_…`) only; a valid access token there is refused.
fn x_api_key_refuses_an_access_token(app: &TestApp) {
    let user = app.sign_up("header");
    let res = app.client.send_with(
        "GET",
        "/v1/users/me",
        None,
        &[("X-Api-Key", &user.token)],
        None,
    );
    assert_unauthorized(&res);
    let fine = app.client.send_with(
        "GET",
        "/v1/users/me",
        None,
        &[("Authorization", &format!("Bearer {}", user.token))],
        None,
    );
    assert_eq!(fine.status, 200);
}

backend_tests!(
    a_repeated_json_key_is_a_400_naming_it,
    x_api_key_refuses_an_access_token,
    text_plain_body_is_a_415,
    body_over_one_mebibyte_is_a_413,
    malformed_json_is_a_400,
    an_unknown_json_field_is_named,
);
