//! Reading an organization by id or by name, and listing the caller's organizations.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::Value;

use crate::support::organizations::{get_org, names_in};

fn get_by_id_and_by_name_return_the_same_organization(app: &TestApp) {
    let alice = app.sign_up("alice");
    let org = app.create_org(&alice, "acme");
    let by_id = get_org(app, &alice, org["id"].as_str().unwrap());
    let by_name = get_org(app, &alice, "acme");
    assert_eq!(by_id.status, 200);
    assert_eq!(by_name.status, 200);
    assert_eq!(by_id.body, org);
    assert_eq!(by_name.body, org);
    assert_eq!(by_id.header("etag"), by_name.header("etag"));
    assert!(
        by_id.body.get("members").is_none(),
        "members only on expand"
    );
    assert_problem(&get_org(app, &alice, "no-such-org"), 404, "not-found");
    let missing_id = uuid::Uuid::now_v7().to_string();
    assert_problem(&get_org(app, &alice, &missing_id), 404, "not-found");
}

fn list_shows_the_callers_organizations_oldest_first(app: &TestApp) {
    let alice = app.sign_up("alice");
    for name in ["zeta", "alpha", "mid"] {
        app.create_org(&alice, name);
    }
    let res = app.client.get("/v1/organizations", Some(&alice.token));
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        names_in(&res.body),
        ["zeta", "alpha", "mid"],
        "default sort: created_at asc"
    );
    assert_eq!(res.body["meta"]["has_more"], false);
    assert_eq!(res.body["meta"]["next_cursor"], Value::Null);
    assert_eq!(
        res.body["meta"]["total"],
        Value::Null,
        "no total in cursor mode"
    );
    assert_eq!(res.body["links"]["self"], "/v1/organizations");
    assert_eq!(res.body["links"]["next"], Value::Null);
    assert!(res.body["data"][0].get("members").is_none());

    let expanded = app
        .client
        .get("/v1/organizations?expand=members", Some(&alice.token));
    assert_eq!(expanded.status, 200, "{}", expanded.text);
    for org in expanded.body["data"].as_array().unwrap() {
        assert_eq!(org["members"][0]["user"]["id"], alice.id.as_str());
    }
}

backend_tests!(
    get_by_id_and_by_name_return_the_same_organization,
    list_shows_the_callers_organizations_oldest_first,
);
