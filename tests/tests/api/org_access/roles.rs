//! What each organization role may do: viewers and members read, admins update, owners close.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::organizations::{get_org, listed_names};

fn viewers_and_members_may_read_but_not_change(app: &TestApp) {
    let alice = app.sign_up("alice");
    let viewer = app.sign_up("viewer");
    let member = app.sign_up("member");
    let res = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "members": [
            {"user_id": viewer.id, "role": "viewer"},
            {"user_id": member.id, "role": "member"}
        ]}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let before = get_org(app, &alice, "acme").body;

    for user in [&viewer, &member] {
        assert_eq!(get_org(app, user, "acme").status, 200);
        assert_eq!(listed_names(app, user, ""), ["acme"]);
        let attempts = [
            app.client.patch(
                "/v1/organizations/acme",
                Some(&user.token),
                &json!({"description": "x"}),
            ),
            app.client
                .delete("/v1/organizations/acme", Some(&user.token)),
            app.client.delete(
                "/v1/organizations/acme?force=true&confirm=acme",
                Some(&user.token),
            ),
        ];
        for res in &attempts {
            assert_problem(res, 403, "forbidden");
        }
    }
    assert_problem(
        &get_org(app, &viewer, "acme?expand=members"),
        403,
        "forbidden",
    );
    let expanded = get_org(app, &member, "acme?expand=members");
    assert_eq!(expanded.status, 200, "members:read: {}", expanded.text);
    assert_eq!(expanded.body["members"].as_array().unwrap().len(), 3);
    assert_eq!(get_org(app, &alice, "acme").body, before, "untouched");
}

fn an_organization_admin_may_update_but_not_close_or_delete(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    let res = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "members": [{"user_id": bob.id, "role": "admin"}]}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&bob.token),
        &json!({"description": "by the admin", "state": "inactive"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "inactive");

    let attempts = [
        app.client.patch(
            "/v1/organizations/acme",
            Some(&bob.token),
            &json!({"state": "closed"}),
        ),
        app.client
            .delete("/v1/organizations/acme", Some(&bob.token)),
        app.client.delete(
            "/v1/organizations/acme?force=true&confirm=acme",
            Some(&bob.token),
        ),
    ];
    for res in &attempts {
        assert_problem(res, 403, "forbidden");
    }
    let after = get_org(app, &alice, "acme");
    assert_eq!(after.body["state"], "inactive");
    assert_eq!(after.body["description"], "by the admin");
}

backend_tests!(
    viewers_and_members_may_read_but_not_change,
    an_organization_admin_may_update_but_not_close_or_delete,
);
