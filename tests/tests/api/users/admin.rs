//! The platform admin's user management: listing, paging, reading and changing users, and
//! the rule that the last active admin stays.

use roster_tests::problem::{
    assert_invalid_grant, assert_only_field_error, assert_problem, assert_unauthorized,
};
use roster_tests::{backend_tests, with_admin, TestApp, TestUser};
use serde_json::json;

use crate::support::cursors::base64url;
use crate::support::stored::stored_user;
use crate::support::token_endpoint::{password_grant, refresh};

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
fn a_forged_user_cursor_out_of_the_storable_range_is_400() {
    with_admin(&[], |app, admin| {
        for created_at in ["-5000-01-01T00:00:00Z", "+20000-01-01T00:00:00Z"] {
            let cursor = base64url(
                json!({"created_at": created_at, "id": uuid::Uuid::nil()})
                    .to_string()
                    .as_bytes(),
            );
            let res = app
                .client
                .get(&format!("/v1/users?after={cursor}"), Some(&admin.token));
            assert_problem(&res, 400, "bad-request");
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
        // The right password answers as a wrong one does: it confirms nothing.
        let right = password_grant(app, &user.email, &user.password);
        let wrong = password_grant(app, &user.email, "not the password");
        assert_invalid_grant(&right);
        assert_eq!(right.body, wrong.body);
        assert_eq!(stored_user(app, &user.email).state.as_str(), "disabled");

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
        assert_only_field_error(&res, "state");
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
        assert_eq!(stored.state.as_str(), "active");

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

backend_tests!(non_admins_cannot_use_the_admin_endpoints,);
