//! The password grant of the token endpoint, JSON or form-encoded.

use roster_tests::problem::{assert_invalid_grant, assert_invalid_request, assert_oauth_error};
use roster_tests::{backend_tests, client, TestApp};
use serde_json::json;

use crate::support::token_endpoint::{password_grant, token, verify_with_jwks};

fn password_grant_issues_a_bearer_pair(app: &TestApp) {
    let user = app.sign_up("pw");
    let res = password_grant(app, &user.email, &user.password);
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert_eq!(res.body["token_type"], "Bearer");
    assert!(res.body["expires_in"].as_i64().unwrap() > 0);
    assert!(res.body["refresh_token"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    let access = res.body["access_token"].as_str().unwrap();
    let me = app.client.get("/v1/users/me", Some(access));
    assert_eq!(me.status, 200);
    assert_eq!(me.body["id"], user.id.as_str());
}

fn password_grant_accepts_a_form_encoded_body(app: &TestApp) {
    let user = app.sign_up("form");
    let res = client::send(
        app.client
            .request("POST", "/v1/auth/token", None)
            .send_form(&[
                ("grant_type", "password"),
                ("username", &user.email),
                ("password", &user.password),
            ]),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let claims = verify_with_jwks(app, res.body["access_token"].as_str().unwrap());
    assert_eq!(claims.sub.to_string(), user.id);
    // The refresh grant works form-encoded too.
    let refreshed = client::send(
        app.client
            .request("POST", "/v1/auth/token", None)
            .send_form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", res.body["refresh_token"].as_str().unwrap()),
            ]),
    );
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
}

fn form_encoded_unknown_field_is_named(app: &TestApp) {
    let res = client::send(
        app.client
            .request("POST", "/v1/auth/token", None)
            .send_form(&[("grant_type", "password"), ("colour", "blue")]),
    );
    assert_invalid_request(&res, "colour");
}

fn wrong_password_and_unknown_email_answer_the_same_400(app: &TestApp) {
    let user = app.sign_up("guess");
    let wrong_password = password_grant(app, &user.email, "not the password");
    let unknown_email = password_grant(app, "nobody@example.test", "not the password");
    let not_an_email = password_grant(app, "nobody", "not the password");
    for res in [&wrong_password, &unknown_email, &not_an_email] {
        assert_invalid_grant(res);
    }
    assert_eq!(wrong_password.body, unknown_email.body);
    assert_eq!(wrong_password.body, not_an_email.body);
    assert_eq!(wrong_password.header("www-authenticate"), None);
}

fn missing_username_is_an_invalid_request_naming_username(app: &TestApp) {
    let res = token(
        app,
        &json!({"grant_type": "password", "password": "whatever1"}),
    );
    assert_invalid_request(&res, "username");
    let res = token(
        app,
        &json!({"grant_type": "password", "username": "", "password": "whatever1"}),
    );
    assert_invalid_request(&res, "username");
}

fn an_unsupported_grant_type_is_named_as_such(app: &TestApp) {
    let res = token(app, &json!({"grant_type": "client_credentials"}));
    assert_oauth_error(&res, "unsupported_grant_type");
    assert_eq!(res.error_fields(), ["grant_type"]);
    assert_eq!(res.body["errors"][0]["code"], "unsupported");
    let res = token(app, &json!({"username": "a@example.test"}));
    assert_invalid_request(&res, "grant_type");
}

/// OAuth2 clients (Swagger UI's Authorize dialog among them) send their client credentials as
/// `Authorization: Basic`; Roster has no client registration and answers the grant as such.
fn client_credentials_in_basic_are_ignored(app: &TestApp) {
    let user = app.sign_up("basic");
    let send = |password: &str| {
        app.client.send_with(
            "POST",
            "/v1/auth/token",
            None,
            &[("Authorization", "Basic Og==")],
            Some(&json!({"grant_type": "password", "username": user.email, "password": password})),
        )
    };
    assert_invalid_grant(&send("not the password"));
    assert_eq!(send(&user.password).status, 200);
}

backend_tests!(
    client_credentials_in_basic_are_ignored,
    password_grant_issues_a_bearer_pair,
    password_grant_accepts_a_form_encoded_body,
    form_encoded_unknown_field_is_named,
    wrong_password_and_unknown_email_answer_the_same_400,
    missing_username_is_an_invalid_request_naming_username,
    an_unsupported_grant_type_is_named_as_such,
);
