//! Who may see and change an organization: 401 without credentials, 404 for a private
//! organization the caller is not in (never 403), 403 for what a visible organization's
//! reader may not do, and platform admins who see everything.

use roster_tests::{backend_tests, Res, TestApp};
use serde_json::json;

use crate::organizations::{assert_problem, get_org, listed_names, send_with};

/// A 404 that says no more than one for an organization that never existed.
fn assert_indistinguishable_from_missing(res: &Res, missing: &Res) {
    assert_problem(res, 404, "not-found");
    assert_eq!(res.body["title"], missing.body["title"]);
    assert_eq!(res.body["detail"], missing.body["detail"]);
    assert!(res.header("etag").is_none());
}

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
            let res = send_with(app, method, path, token, &[], with_body);
            assert_problem(&res, 401, "unauthorized");
            let challenge = res.header("www-authenticate").unwrap_or_default();
            assert!(
                challenge.starts_with("Bearer"),
                "{method} {path}: {challenge:?}"
            );
        }
    }
    let basic = send_with(
        app,
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
            send_with(
                app,
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
        let names: Vec<&str> = res.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
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
    let names: Vec<&str> = all.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alices", "bobs"]);
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
    requests_without_a_token_are_401_with_www_authenticate,
    non_member_gets_404_not_403,
    a_non_member_asking_a_former_name_gets_404,
    a_public_organization_is_readable_by_any_signed_in_user,
    a_non_member_may_not_change_a_public_organization_or_see_its_members,
    lists_never_show_other_users_organizations,
    viewers_and_members_may_read_but_not_change,
    an_organization_admin_may_update_but_not_close_or_delete,
    scope_all_is_403_for_a_non_admin,
    a_platform_admin_sees_every_organization,
    organization_creation_can_be_limited_to_platform_admins,
);
