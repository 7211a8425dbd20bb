//! The caller's profile and password, the caller's organizations, closed sign-up, and the
//! platform admin's user management.

use roster_tests::{backend_tests, client, Backend, TestApp, TestUser};
use serde_json::json;

use crate::auth::{
    assert_field_error, assert_invalid_grant, assert_problem, assert_unauthorized, db,
    password_grant, refresh, stored_user,
};

/// Runs `test` on each available backend against a server with a platform admin and `flags`.
fn with_admin(flags: &[&str], test: impl Fn(&TestApp, &TestUser)) {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some((app, admin)) = TestApp::spawn_with_admin(backend, flags) else {
            continue;
        };
        eprintln!("--- on {backend:?}");
        test(&app, &admin);
    }
}

/// An admin creates a user (the only way in when sign-up is closed); returns it signed in.
fn created_by_admin(app: &TestApp, admin: &TestUser, label: &str) -> TestUser {
    let email = format!("{label}-{}@example.test", uuid::Uuid::now_v7().simple());
    let password = "created by admin";
    let res = app.client.post(
        "/v1/users",
        Some(&admin.token),
        &json!({"email": email, "password": password}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let tokens = app.login(&email, password);
    TestUser {
        id: res.body["id"].as_str().unwrap().to_owned(),
        email,
        password: password.to_owned(),
        token: tokens["access_token"].as_str().unwrap().to_owned(),
        refresh_token: tokens["refresh_token"].as_str().unwrap().to_owned(),
    }
}

// ---- the caller's own profile ----

fn get_me_returns_the_signed_in_user(app: &TestApp) {
    let user = app.sign_up("me");
    let res = app.client.get("/v1/users/me", Some(&user.token));
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["id"], user.id.as_str());
    assert_eq!(res.body["email"], user.email.as_str());
    assert_eq!(res.body["name"], "me");
    assert_eq!(res.body["state"], "active");
    assert_eq!(res.body["is_admin"], false);
    assert!(res.body.get("password_hash").is_none());
}

fn patch_me_sets_and_clears_the_name(app: &TestApp) {
    let user = app.sign_up("named");
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"name": "Ada Lovelace"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["name"], "Ada Lovelace");
    assert_eq!(res.body["email"], user.email.as_str());

    // An absent field stays as it is.
    let res = app
        .client
        .patch("/v1/users/me", Some(&user.token), &json!({}));
    assert_eq!(res.status, 200);
    assert_eq!(res.body["name"], "Ada Lovelace");

    let res = app
        .client
        .patch("/v1/users/me", Some(&user.token), &json!({"name": null}));
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.body["name"].is_null());
    let me = app.client.get("/v1/users/me", Some(&user.token));
    assert!(me.body["name"].is_null());
    assert_eq!(stored_user(app, &user.email).name, None);
}

fn patch_me_changes_the_email_and_sign_in_follows(app: &TestApp) {
    let user = app.sign_up("mover");
    let new_email = format!("Moved-{}@Example.test", uuid::Uuid::now_v7().simple());
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"email": new_email}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["email"], new_email.to_lowercase());
    app.login(&new_email, &user.password);
    assert_invalid_grant(&password_grant(app, &user.email, &user.password));
}

fn patch_me_to_a_taken_email_is_a_409(app: &TestApp) {
    let user = app.sign_up("taker");
    let other = app.sign_up("taken");
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"email": other.email.to_uppercase()}),
    );
    assert_problem(&res, 409, "conflict");
    assert_eq!(stored_user(app, &user.email).id.0.to_string(), user.id);
}

fn patch_me_with_an_unknown_field_names_it(app: &TestApp) {
    let user = app.sign_up("unknown");
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"nickname": "ada"}),
    );
    assert_field_error(&res, "nickname");
    assert_eq!(res.body["errors"][0]["code"], "unknown_field");

    // Nobody makes themselves a platform admin through their profile.
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"is_admin": true}),
    );
    assert_field_error(&res, "is_admin");
    assert!(!stored_user(app, &user.email).is_admin);
}

fn patch_me_with_an_invalid_email_is_a_422(app: &TestApp) {
    let user = app.sign_up("bad-email");
    let res = app.client.patch(
        "/v1/users/me",
        Some(&user.token),
        &json!({"email": "no-at-sign"}),
    );
    assert_field_error(&res, "email");
}

fn user_profile_has_an_etag_and_patch_honours_if_match(app: &TestApp) {
    let user = app.sign_up("etag");
    let res = app.client.get("/v1/users/me", Some(&user.token));
    assert!(
        res.header("etag").is_some(),
        "API.md: every single-resource GET returns an ETag; headers were {:?}",
        res.headers
    );
    let stale = client::send(
        app.client
            .request("PATCH", "/v1/users/me", Some(&user.token))
            .set("If-Match", "\"stale\"")
            .send_json(json!({"name": "x"})),
    );
    assert_eq!(
        stale.status, 412,
        "API.md: PATCH honours If-Match: {}",
        stale.text
    );
}

// ---- the caller's password ----

fn change_password_with_a_wrong_current_password_is_a_422(app: &TestApp) {
    let user = app.sign_up("wrong-current");
    let res = app.client.post(
        "/v1/users/me/password",
        Some(&user.token),
        &json!({"current_password": "not my password", "new_password": "a brand new one"}),
    );
    assert_field_error(&res, "current_password");
    app.login(&user.email, &user.password);
}

fn change_password_to_a_short_one_is_a_422(app: &TestApp) {
    let user = app.sign_up("short-new");
    let res = app.client.post(
        "/v1/users/me/password",
        Some(&user.token),
        &json!({"current_password": user.password, "new_password": "short"}),
    );
    assert_field_error(&res, "new_password");
    app.login(&user.email, &user.password);
}

fn change_password_keeps_this_session_and_ends_the_others(app: &TestApp) {
    let user = app.sign_up("changer");
    let other_session = app.login(&user.email, &user.password);
    let hash_before = stored_user(app, &user.email).password_hash;

    let res = app.client.post(
        "/v1/users/me/password",
        Some(&user.token),
        &json!({"current_password": user.password, "new_password": "a brand new password"}),
    );
    assert_eq!(res.status, 204, "{}", res.text);
    assert!(res.text.is_empty());

    assert_invalid_grant(&password_grant(app, &user.email, &user.password));
    app.login(&user.email, "a brand new password");
    assert_ne!(stored_user(app, &user.email).password_hash, hash_before);

    // The other sign-in is over; this one goes on.
    assert_invalid_grant(&refresh(
        app,
        other_session["refresh_token"].as_str().unwrap(),
    ));
    let this_session = refresh(app, &user.refresh_token);
    assert_eq!(this_session.status, 200, "{}", this_session.text);
}

fn change_password_needs_a_signed_in_caller(app: &TestApp) {
    let res = app.client.post(
        "/v1/users/me/password",
        None,
        &json!({"current_password": "whatever1", "new_password": "whatever2"}),
    );
    assert_unauthorized(&res);
}

// ---- the caller's organizations ----

fn my_organizations_lists_memberships_with_role_owner(app: &TestApp) {
    let user = app.sign_up("orgs");
    let first = app.create_org(&user, "first-org");
    let second = app.create_org(&user, "second-org");
    let stranger = app.sign_up("stranger");
    app.create_org(&stranger, "strangers-org");

    let res = app
        .client
        .get("/v1/users/me/organizations", Some(&user.token));
    assert_eq!(res.status, 200, "{}", res.text);
    let data = res.body["data"].as_array().unwrap();
    let mut ids: Vec<&str> = data
        .iter()
        .map(|m| m["organization"]["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    let mut expected = vec![
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    ];
    expected.sort_unstable();
    assert_eq!(ids, expected);
    for membership in data {
        assert_eq!(membership["role"], "owner");
        assert!(membership["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "organization:delete"));
    }
    assert_eq!(res.body["meta"]["has_more"], false);
    assert!(res.body["links"]["self"].is_string());

    let stranger_view = app
        .client
        .get("/v1/users/me/organizations", Some(&stranger.token));
    assert_eq!(stranger_view.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        stranger_view.body["data"][0]["organization"]["name"],
        "strangers-org"
    );
}

fn my_organizations_pages_with_a_cursor(app: &TestApp) {
    let user = app.sign_up("pager");
    let first = app.create_org(&user, "page-one");
    let second = app.create_org(&user, "page-two");
    let page1 = app
        .client
        .get("/v1/users/me/organizations?limit=1", Some(&user.token));
    assert_eq!(page1.status, 200, "{}", page1.text);
    assert_eq!(page1.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(page1.body["meta"]["has_more"], true);
    let page2 = app.client.get(
        page1.body["links"]["next"].as_str().unwrap(),
        Some(&user.token),
    );
    assert_eq!(page2.status, 200, "{}", page2.text);
    assert_eq!(page2.body["meta"]["has_more"], false);
    let mut ids = vec![
        page1.body["data"][0]["organization"]["id"].clone(),
        page2.body["data"][0]["organization"]["id"].clone(),
    ];
    ids.sort_by_key(|id| id.as_str().unwrap().to_owned());
    let mut expected = vec![first["id"].clone(), second["id"].clone()];
    expected.sort_by_key(|id| id.as_str().unwrap().to_owned());
    assert_eq!(ids, expected);
}

// ---- creating users ----

fn only_admins_may_create_admins(app: &TestApp) {
    let email = format!("wannabe-{}@example.test", uuid::Uuid::now_v7().simple());
    let body = json!({"email": email, "password": "correct horse battery", "is_admin": true});
    let anonymous = app.client.post("/v1/users", None, &body);
    assert_problem(&anonymous, 403, "forbidden");
    let user = app.sign_up("plain");
    let signed_in = app.client.post("/v1/users", Some(&user.token), &body);
    assert_problem(&signed_in, 403, "forbidden");
    let nobody = db(app)
        .read(|conn| roster_store::users::find_by_email(conn, &email))
        .unwrap();
    assert!(nobody.is_none());
}

fn non_admins_cannot_use_the_admin_endpoints(app: &TestApp) {
    let user = app.sign_up("nosy");
    let other = app.sign_up("other");
    let list = app.client.get("/v1/users", Some(&user.token));
    assert_problem(&list, 403, "forbidden");
    let get = app
        .client
        .get(&format!("/v1/users/{}", other.id), Some(&user.token));
    assert_problem(&get, 403, "forbidden");
    let patch = app.client.patch(
        &format!("/v1/users/{}", user.id),
        Some(&user.token),
        &json!({"is_admin": true}),
    );
    assert_problem(&patch, 403, "forbidden");
    assert!(!stored_user(app, &user.email).is_admin);
    assert_unauthorized(&app.client.get("/v1/users", None));
}

#[test]
fn closed_sign_up_admits_only_accounts_made_by_admins() {
    with_admin(&["--signup", "closed"], |app, admin| {
        let body = json!({"email": "walk-in@example.test", "password": "correct horse battery"});
        let anonymous = app.client.post("/v1/users", None, &body);
        assert_unauthorized(&anonymous);

        let user = created_by_admin(app, admin, "invited");
        let by_user = app.client.post("/v1/users", Some(&user.token), &body);
        assert_problem(&by_user, 403, "forbidden");

        let by_admin = app.client.post("/v1/users", Some(&admin.token), &body);
        assert_eq!(by_admin.status, 201, "{}", by_admin.text);
        assert_eq!(by_admin.body["email"], "walk-in@example.test");
        assert_eq!(by_admin.body["is_admin"], false);
        app.login("walk-in@example.test", "correct horse battery");
    });
}

#[test]
fn admin_may_create_another_admin() {
    with_admin(&[], |app, admin| {
        let res = app.client.post(
            "/v1/users",
            Some(&admin.token),
            &json!({"email": "deputy@example.test", "password": "deputy password", "is_admin": true}),
        );
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.body["is_admin"], true);
        let deputy = app.login("deputy@example.test", "deputy password");
        let list = app.client.get("/v1/users", deputy["access_token"].as_str());
        assert_eq!(list.status, 200, "{}", list.text);
    });
}

// ---- platform admin: users ----

/// Three signed-up users after the admin; returns them oldest first.
fn three_users(app: &TestApp) -> Vec<TestUser> {
    (0..3).map(|i| app.sign_up(&format!("listed{i}"))).collect()
}

#[test]
fn admin_lists_users_in_the_list_envelope() {
    with_admin(&[], |app, admin| {
        let created = three_users(app);
        let all = app.client.get("/v1/users", Some(&admin.token));
        assert_eq!(all.status, 200, "{}", all.text);
        let data = all.body["data"].as_array().unwrap();
        assert_eq!(data.len(), 4);
        assert_eq!(data[0]["id"], admin.id.as_str());
        for (row, user) in data[1..].iter().zip(&created) {
            assert_eq!(row["id"], user.id.as_str());
            assert!(row.get("password_hash").is_none());
        }
        assert_eq!(all.body["meta"]["has_more"], false);
        assert!(all.body["meta"]["next_cursor"].is_null());
        assert_eq!(all.body["links"]["self"], "/v1/users");

        let filtered = app.client.get("/v1/users?q=LISTED1", Some(&admin.token));
        assert_eq!(filtered.status, 200, "{}", filtered.text);
        assert_eq!(filtered.body["data"].as_array().unwrap().len(), 1);
        assert_eq!(filtered.body["data"][0]["id"], created[1].id.as_str());

        let res = app.client.get("/v1/users?state=gone", Some(&admin.token));
        assert_problem(&res, 400, "bad-request");
    });
}

#[test]
fn admin_pages_through_users_with_page_and_per_page() {
    with_admin(&[], |app, admin| {
        let created = three_users(app);
        let page1 = app
            .client
            .get("/v1/users?page=1&per_page=2", Some(&admin.token));
        assert_eq!(page1.status, 200, "{}", page1.text);
        assert_eq!(page1.body["data"].as_array().unwrap().len(), 2);
        assert_eq!(page1.body["meta"]["total"], 4);
        assert_eq!(page1.body["meta"]["has_more"], true);
        assert_eq!(page1.body["links"]["first"], "/v1/users?page=1&per_page=2");
        assert_eq!(page1.body["links"]["last"], "/v1/users?page=2&per_page=2");
        assert_eq!(page1.body["links"]["next"], "/v1/users?page=2&per_page=2");
        assert!(page1.body["links"]["prev"].is_null());

        let page2 = app.client.get(
            page1.body["links"]["next"].as_str().unwrap(),
            Some(&admin.token),
        );
        assert_eq!(page2.status, 200, "{}", page2.text);
        assert_eq!(page2.body["data"][0]["id"], created[1].id.as_str());
        assert_eq!(page2.body["meta"]["has_more"], false);
        assert_eq!(page2.body["links"]["prev"], "/v1/users?page=1&per_page=2");

        for bad in ["/v1/users?page=0", "/v1/users?per_page=5000"] {
            let res = app.client.get(bad, Some(&admin.token));
            assert_problem(&res, 400, "bad-request");
            assert!(
                res.body["detail"].as_str().unwrap().contains("between"),
                "{bad}: {}",
                res.text
            );
        }
    });
}

#[test]
fn admin_walks_users_with_cursors_each_once() {
    with_admin(&[], |app, admin| {
        let created = three_users(app);
        let mut seen = Vec::new();
        let mut next = Some("/v1/users?limit=3&include_total=true".to_owned());
        while let Some(path) = next {
            let page = app.client.get(&path, Some(&admin.token));
            assert_eq!(page.status, 200, "{path}: {}", page.text);
            for row in page.body["data"].as_array().unwrap() {
                seen.push(row["id"].as_str().unwrap().to_owned());
            }
            next = page.body["links"]["next"].as_str().map(str::to_owned);
        }
        let mut expected = vec![admin.id.clone()];
        expected.extend(created.iter().map(|u| u.id.clone()));
        assert_eq!(seen, expected);
    });
}

#[test]
fn admin_gets_a_user_and_404_for_unknown_or_malformed_ids() {
    with_admin(&[], |app, admin| {
        let user = app.sign_up("lookup");
        let res = app
            .client
            .get(&format!("/v1/users/{}", user.id), Some(&admin.token));
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.body["email"], user.email.as_str());

        let unknown = format!("/v1/users/{}", uuid::Uuid::now_v7());
        for path in [unknown.as_str(), "/v1/users/not-a-uuid"] {
            let res = app.client.get(path, Some(&admin.token));
            assert_problem(&res, 404, "not-found");
            let res = app
                .client
                .patch(path, Some(&admin.token), &json!({"name": "x"}));
            assert_problem(&res, 404, "not-found");
        }
    });
}

#[test]
fn disabling_a_user_ends_its_access_and_refresh_tokens() {
    with_admin(&[], |app, admin| {
        let user = app.sign_up("disabled");
        let res = app.client.patch(
            &format!("/v1/users/{}", user.id),
            Some(&admin.token),
            &json!({"state": "disabled"}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.body["state"], "disabled");

        assert_unauthorized(&app.client.get("/v1/users/me", Some(&user.token)));
        assert_invalid_grant(&refresh(app, &user.refresh_token));
        assert_invalid_grant(&password_grant(app, &user.email, &user.password));
        assert_eq!(stored_user(app, &user.email).state, "disabled");

        // Enabling again lets the user sign in anew; the old session stays ended.
        let res = app.client.patch(
            &format!("/v1/users/{}", user.id),
            Some(&admin.token),
            &json!({"state": "active"}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        app.login(&user.email, &user.password);
        assert_invalid_grant(&refresh(app, &user.refresh_token));
    });
}

#[test]
fn admin_patch_with_an_invalid_state_is_a_422() {
    with_admin(&[], |app, admin| {
        let user = app.sign_up("limbo");
        let res = app.client.patch(
            &format!("/v1/users/{}", user.id),
            Some(&admin.token),
            &json!({"state": "suspended"}),
        );
        assert_field_error(&res, "state");
    });
}

#[test]
fn last_active_admin_can_be_neither_demoted_nor_disabled() {
    with_admin(&[], |app, admin| {
        let me = format!("/v1/users/{}", admin.id);
        for change in [json!({"is_admin": false}), json!({"state": "disabled"})] {
            let res = app.client.patch(&me, Some(&admin.token), &change);
            assert_problem(&res, 409, "conflict");
        }
        let stored = stored_user(app, &admin.email);
        assert!(stored.is_admin);
        assert_eq!(stored.state, "active");

        // A disabled admin does not count as a second one.
        let deputy = app.sign_up("deputy");
        let deputy_path = format!("/v1/users/{}", deputy.id);
        let res = app.client.patch(
            &deputy_path,
            Some(&admin.token),
            &json!({"is_admin": true, "state": "disabled"}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        let res = app
            .client
            .patch(&me, Some(&admin.token), &json!({"is_admin": false}));
        assert_problem(&res, 409, "conflict");

        // With an active second admin, the first may step down and loses admin rights at once.
        let res = app.client.patch(
            &deputy_path,
            Some(&admin.token),
            &json!({"state": "active"}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        let res = app
            .client
            .patch(&me, Some(&admin.token), &json!({"is_admin": false}));
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.body["is_admin"], false);
        assert_problem(
            &app.client.get("/v1/users", Some(&admin.token)),
            403,
            "forbidden",
        );
    });
}

backend_tests!(
    get_me_returns_the_signed_in_user,
    patch_me_sets_and_clears_the_name,
    patch_me_changes_the_email_and_sign_in_follows,
    patch_me_to_a_taken_email_is_a_409,
    patch_me_with_an_unknown_field_names_it,
    patch_me_with_an_invalid_email_is_a_422,
    user_profile_has_an_etag_and_patch_honours_if_match,
    change_password_with_a_wrong_current_password_is_a_422,
    change_password_to_a_short_one_is_a_422,
    change_password_keeps_this_session_and_ends_the_others,
    change_password_needs_a_signed_in_caller,
    my_organizations_lists_memberships_with_role_owner,
    my_organizations_pages_with_a_cursor,
    only_admins_may_create_admins,
    non_admins_cannot_use_the_admin_endpoints,
);
