//! Checking the list parameters: ranges, unknown values, and cursors (forged, or from
//! another sort).

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::{json, Value};

use super::pages::{fetch, rows};
use crate::support::cursors::base64url;

fn out_of_range_or_unknown_list_parameters_are_400(app: &TestApp) {
    let owner = app.sign_up("owner");
    for name in ["one", "two", "three"] {
        app.create_org(&owner, name);
    }
    let forged = |cursor: Value| base64url(cursor.to_string().as_bytes());
    let bad_time = forged(json!({"sort": "created_at", "direction": "asc",
                                 "value": "yesterday", "id": uuid::Uuid::now_v7()}));
    let not_a_cursor = forged(json!({"page": 2}));
    // A NUL byte inside a cursor never reaches the database (Postgres refuses it).
    let nul_name = forged(json!({"sort": "name", "direction": "asc", "value": "\u{0}",
                                 "id": uuid::Uuid::now_v7()}));
    for query in [
        "limit=0".to_owned(),
        "limit=1001".to_owned(),
        "limit=-1".to_owned(),
        "limit=ten".to_owned(),
        "per_page=0".to_owned(),
        "per_page=1001".to_owned(),
        "page=0".to_owned(),
        "page=100001".to_owned(),
        "page=1&limit=5".to_owned(),
        "per_page=5&after=abc".to_owned(),
        "sort=colour".to_owned(),
        "sort=NAME".to_owned(),
        "direction=up".to_owned(),
        "after=not-a-cursor".to_owned(),
        "after=%25%25%25".to_owned(),
        format!("after={not_a_cursor}"),
        format!("after={bad_time}"),
        format!("sort=name&after={nul_name}"),
        "include_total=maybe".to_owned(),
        "state=deleted".to_owned(),
        "personal=maybe".to_owned(),
        "expand=teams".to_owned(),
        "scope=everyone".to_owned(),
        "expand=members&limit=101".to_owned(),
        "expand=members&per_page=101".to_owned(),
    ] {
        let res = app
            .client
            .get(&format!("/v1/organizations?{query}"), Some(&owner.token));
        assert_problem(&res, 400, "bad-request");
    }
    for query in [
        "limit=1",
        "limit=1000",
        "per_page=1",
        "per_page=1000",
        "page=100000",
        "sort=id&direction=desc",
        "include_total=false",
        "expand=members",
        "expand=members&limit=100",
        "expand=members&per_page=100",
    ] {
        let res = app
            .client
            .get(&format!("/v1/organizations?{query}"), Some(&owner.token));
        assert_eq!(res.status, 200, "{query}: {}", res.text);
    }
}

fn a_cursor_continues_only_the_sort_it_came_from(app: &TestApp) {
    let owner = app.sign_up("owner");
    for name in ["a1", "b2", "c3", "d4", "e5"] {
        app.create_org(&owner, name);
    }
    let first = fetch(app, &owner, "/v1/organizations?sort=name&limit=2");
    let cursor = first["meta"]["next_cursor"].as_str().unwrap();
    for query in [
        format!("sort=id&after={cursor}"),
        format!("sort=created_at&after={cursor}"),
        format!("after={cursor}"),
        format!("sort=name&direction=desc&after={cursor}"),
    ] {
        let res = app
            .client
            .get(&format!("/v1/organizations?{query}"), Some(&owner.token));
        assert_problem(&res, 400, "bad-request");
    }
    let next = fetch(
        app,
        &owner,
        &format!("/v1/organizations?sort=name&limit=2&after={cursor}"),
    );
    let names: Vec<_> = rows(&next).iter().map(|o| o["name"].clone()).collect();
    assert_eq!(names, [json!("c3"), json!("d4")]);
}

backend_tests!(
    out_of_range_or_unknown_list_parameters_are_400,
    a_cursor_continues_only_the_sort_it_came_from,
);
