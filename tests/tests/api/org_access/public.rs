//! A public organization: any signed-in user may read it, only its members may do more.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::organizations::{get_org, listed_names};

fn a_public_organization_is_readable_by_any_signed_in_user(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    let created = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "open-source", "visibility": "public", "description": "hello"}),
    );
    assert_eq!(created.status, 201);
    let res = get_org(app, &bob, "open-source");
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body, created.body);
    assert!(res.header("etag").is_some());
    assert_eq!(
        get_org(app, &bob, created.body["id"].as_str().unwrap()).status,
        200
    );
    assert!(
        listed_names(app, &bob, "").is_empty(),
        "readable is not the same as being a member"
    );
    let anonymous = app.client.get("/v1/organizations/open-source", None);
    assert_problem(&anonymous, 401, "unauthorized");
}

fn a_non_member_may_not_change_a_public_organization_or_see_its_members(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    let created = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "open-source", "visibility": "public"}),
    );
    assert_eq!(created.status, 201);
    let attempts = [
        get_org(app, &bob, "open-source?expand=members"),
        app.client.patch(
            "/v1/organizations/open-source",
            Some(&bob.token),
            &json!({"description": "defaced"}),
        ),
        app.client.patch(
            "/v1/organizations/open-source",
            Some(&bob.token),
            &json!({"visibility": "private"}),
        ),
        app.client
            .delete("/v1/organizations/open-source", Some(&bob.token)),
        app.client.delete(
            "/v1/organizations/open-source?force=true&confirm=open-source",
            Some(&bob.token),
        ),
    ];
    for res in &attempts {
        assert_problem(res, 403, "forbidden");
        assert!(res.body.get("members").is_none());
    }
    assert_eq!(get_org(app, &alice, "open-source").body, created.body);
}

backend_tests!(
    a_public_organization_is_readable_by_any_signed_in_user,
    a_non_member_may_not_change_a_public_organization_or_see_its_members,
);
