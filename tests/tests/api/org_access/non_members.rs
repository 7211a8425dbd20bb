//! A private organization the caller is not in does not exist for the caller: 404, never
//! 403, and never in a list.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, Res, TestApp};
use serde_json::json;

use crate::support::organizations::{get_org, listed_names, names_in};

/// A 404 that says no more than one for an organization that never existed.
fn assert_indistinguishable_from_missing(res: &Res, missing: &Res) {
    assert_problem(res, 404, "not-found");
    assert_eq!(res.body["title"], missing.body["title"]);
    assert_eq!(res.body["detail"], missing.body["detail"]);
    assert!(res.header("etag").is_none());
}

fn non_member_gets_404_not_403(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    let org = app.create_org(&alice, "acme");
    let id = org["id"].as_str().unwrap();
    let missing = get_org(app, &bob, "no-such-org");
    assert_problem(&missing, 404, "not-found");

    for key in [id, "acme"] {
        let path = format!("/v1/organizations/{key}");
        let patch = json!({"description": "mine now"});
        let attempts = [
            app.client.get(&path, Some(&bob.token)),
            app.client
                .get(&format!("{path}?expand=members"), Some(&bob.token)),
            app.client.patch(&path, Some(&bob.token), &patch),
            app.client
                .patch(&path, Some(&bob.token), &json!({"state": "bogus"})),
            app.client.delete(&path, Some(&bob.token)),
            app.client
                .delete(&format!("{path}?force=true&confirm=acme"), Some(&bob.token)),
            app.client.send_with(
                "PATCH",
                &path,
                Some(&bob.token),
                &[("If-Match", "\"x\"")],
                Some(&patch),
            ),
        ];
        for res in &attempts {
            assert_indistinguishable_from_missing(res, &missing);
        }
    }
    let after = get_org(app, &alice, "acme");
    assert_eq!(after.body, org, "untouched");
    assert!(listed_names(app, &bob, "state=active,inactive,closed").is_empty());
}

fn a_non_member_asking_a_former_name_gets_404(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    app.create_org(&alice, "old-name");
    let res = app.client.patch(
        "/v1/organizations/old-name",
        Some(&alice.token),
        &json!({"name": "new-name"}),
    );
    assert_eq!(res.status, 200);
    let res = get_org(app, &bob, "old-name");
    assert_problem(&res, 404, "not-found");
    assert!(
        res.header("location").is_none(),
        "the new name must not leak"
    );
    assert_eq!(get_org(app, &alice, "old-name").status, 308);
}

fn lists_never_show_other_users_organizations(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    for (name, reference) in [("alice-one", "ref-a1"), ("alice-two", "ref-a2")] {
        let res = app.client.post(
            "/v1/organizations",
            Some(&alice.token),
            &json!({"name": name, "reference": reference, "visibility": "public"}),
        );
        assert_eq!(res.status, 201);
    }
    app.create_org(&bob, "bobs");
    assert_eq!(
        app.client
            .delete("/v1/organizations/alice-two", Some(&alice.token))
            .status,
        200
    );

    for query in [
        "",
        "scope=mine",
        "state=active,inactive,closed",
        "q=alice",
        "reference=ref-a1",
        "sort=name&direction=desc",
        "page=1&per_page=1000",
        "limit=1000&include_total=true",
        "expand=members",
    ] {
        let res = app
            .client
            .get(&format!("/v1/organizations?{query}"), Some(&bob.token));
        assert_eq!(res.status, 200, "{query}: {}", res.text);
        let names = names_in(&res.body);
        assert!(names.iter().all(|n| *n == "bobs"), "{query}: {names:?}");
        if let Some(total) = res.body["meta"]["total"].as_i64() {
            assert_eq!(
                total,
                names.len() as i64,
                "{query}: the total leaks nothing"
            );
        }
    }
}

backend_tests!(
    non_member_gets_404_not_403,
    a_non_member_asking_a_former_name_gets_404,
    lists_never_show_other_users_organizations,
);
