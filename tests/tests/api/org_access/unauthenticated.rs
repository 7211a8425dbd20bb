//! Without valid credentials every organization endpoint is a 401 that says how to sign in.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::organizations::{get_org, listed_names};

fn requests_without_a_token_are_401_with_www_authenticate(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let body = json!({"name": "sneaky"});
    for (method, path) in [
        ("GET", "/v1/organizations"),
        ("GET", "/v1/organizations?scope=all"),
        ("POST", "/v1/organizations"),
        ("GET", "/v1/organizations/acme"),
        ("PATCH", "/v1/organizations/acme"),
        ("DELETE", "/v1/organizations/acme"),
        ("DELETE", "/v1/organizations/acme?force=true&confirm=acme"),
    ] {
        let with_body = matches!(method, "POST" | "PATCH").then_some(&body);
        for token in [None, Some("not-a-jwt"), Some("rst_nothing")] {
            let res = app.client.send_with(method, path, token, &[], with_body);
            assert_problem(&res, 401, "unauthorized");
            let challenge = res.header("www-authenticate").unwrap_or_default();
            assert!(
                challenge.starts_with("Bearer"),
                "{method} {path}: {challenge:?}"
            );
        }
    }
    let basic = app.client.send_with(
        "GET",
        "/v1/organizations",
        None,
        &[("Authorization", "Basic YWxpY2U6cHc=")],
        None,
    );
    assert_problem(&basic, 401, "unauthorized");

    let acme = get_org(app, &alice, "acme");
    assert_eq!(acme.body["state"], "active");
    assert_eq!(acme.body["name"], "acme");
    assert_eq!(
        listed_names(app, &alice, ""),
        ["acme"],
        "nothing was created"
    );
}

backend_tests!(requests_without_a_token_are_401_with_www_authenticate,);
