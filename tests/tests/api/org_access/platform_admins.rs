//! Platform admins see every organization (`scope=all`), and may be the only ones allowed to
//! create organizations.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::organizations::{get_org, listed_names, names_in};

fn scope_all_is_403_for_a_non_admin(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let res = app
        .client
        .get("/v1/organizations?scope=all", Some(&alice.token));
    assert_problem(&res, 403, "forbidden");
    let bogus = app
        .client
        .get("/v1/organizations?scope=everything", Some(&alice.token));
    assert_problem(&bogus, 400, "bad-request");
}

fn a_platform_admin_sees_every_organization(app: &TestApp) {
    let (app, admin) =
        TestApp::spawn_with_admin(app.backend, &[]).expect("this backend is available");
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    let private = app.create_org(&alice, "alices");
    app.create_org(&bob, "bobs");
    app.create_org(&bob, "bobs-closed");
    assert_eq!(
        app.client
            .delete("/v1/organizations/bobs-closed", Some(&bob.token))
            .status,
        200
    );

    let mine = app.client.get("/v1/organizations", Some(&admin.token));
    assert_eq!(mine.status, 200);
    assert_eq!(
        mine.body["data"],
        json!([]),
        "the default scope is the admin's own"
    );

    let all = app.client.get(
        "/v1/organizations?scope=all&sort=name&include_total=true",
        Some(&admin.token),
    );
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(names_in(&all.body), ["alices", "bobs"]);
    assert_eq!(all.body["meta"]["total"], 2);
    let closed = app.client.get(
        "/v1/organizations?scope=all&state=closed",
        Some(&admin.token),
    );
    assert_eq!(closed.body["data"][0]["name"], "bobs-closed");

    let res = get_org(&app, &admin, "alices");
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body, private);
    let expanded = get_org(&app, &admin, private["id"].as_str().unwrap());
    assert_eq!(expanded.status, 200);
    let expanded = get_org(&app, &admin, "alices?expand=members");
    assert_eq!(expanded.status, 200, "{}", expanded.text);
    assert_eq!(expanded.body["members"][0]["user"]["id"], alice.id.as_str());
    assert_eq!(expanded.body["member_count"], 1, "reading does not join");
}

fn organization_creation_can_be_limited_to_platform_admins(app: &TestApp) {
    let (app, admin) = TestApp::spawn_with_admin(app.backend, &["--org-creation", "admins"])
        .expect("this backend is available");
    let alice = app.sign_up("alice");
    let res = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme"}),
    );
    assert_problem(&res, 403, "forbidden");
    assert!(listed_names(&app, &alice, "").is_empty());
    let res = app.client.post(
        "/v1/organizations",
        Some(&admin.token),
        &json!({"name": "acme", "members": [{"user_id": alice.id, "role": "owner"}]}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(listed_names(&app, &alice, ""), ["acme"]);
}

backend_tests!(
    scope_all_is_403_for_a_non_admin,
    a_platform_admin_sees_every_organization,
    organization_creation_can_be_limited_to_platform_admins,
);
