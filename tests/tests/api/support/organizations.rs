//! Reading organizations back, and the checks that a rejected create or patch wrote nothing.

use chrono::{DateTime, Utc};
use roster_tests::problem::assert_field_error;
use roster_tests::{Res, TestApp, TestUser};
use serde_json::Value;

/// `GET /v1/organizations/{key}` as `user`; `key` is an id or a name, optionally with a query.
pub fn get_org(app: &TestApp, user: &TestUser, key: &str) -> Res {
    app.client
        .get(&format!("/v1/organizations/{key}"), Some(&user.token))
}

/// The names of the caller's organizations for a list query (e.g. `state=closed`).
pub fn listed_names(app: &TestApp, user: &TestUser, query: &str) -> Vec<String> {
    let res = app
        .client
        .get(&format!("/v1/organizations?{query}"), Some(&user.token));
    assert_eq!(res.status, 200, "{}", res.text);
    names_in(&res.body)
}

/// The `name` of each organization in a list response's `data`, in order.
pub fn names_in(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .expect("data array")
        .iter()
        .map(|org| org["name"].as_str().unwrap().to_owned())
        .collect()
}

/// A timestamp in a response, which must be UTC written with `Z`.
pub fn timestamp(value: &Value) -> DateTime<Utc> {
    let text = value.as_str().expect("a timestamp string");
    assert!(text.ends_with('Z'), "not UTC with Z: {text}");
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// The ETag Roster gives an organization at a version: `"<id without hyphens>-<version>"`.
pub fn etag_of(org: &Value, version: u32) -> String {
    let id = uuid::Uuid::parse_str(org["id"].as_str().unwrap()).unwrap();
    format!("\"{}-{version}\"", id.simple())
}

/// Creating `body` fails on `field` with `code`, and the caller's list is unchanged.
pub fn assert_create_rejected(
    app: &TestApp,
    user: &TestUser,
    body: Value,
    field: &str,
    code: &str,
) {
    let before = listed_names(app, user, "state=active,inactive,closed");
    let res = app
        .client
        .post("/v1/organizations", Some(&user.token), &body);
    assert_field_error(&res, field, code);
    assert_eq!(
        listed_names(app, user, "state=active,inactive,closed"),
        before,
        "a rejected create wrote nothing: {body}"
    );
}

/// Patching `acme` with `body` fails on `field` with `code`, and `acme` is unchanged.
pub fn assert_patch_rejected(app: &TestApp, user: &TestUser, body: Value, field: &str, code: &str) {
    let before = get_org(app, user, "acme");
    let res = app
        .client
        .patch("/v1/organizations/acme", Some(&user.token), &body);
    assert_field_error(&res, field, code);
    let after = get_org(app, user, "acme");
    assert_eq!(
        after.body, before.body,
        "a rejected patch wrote nothing: {body}"
    );
    assert_eq!(after.header("etag"), before.header("etag"));
}
