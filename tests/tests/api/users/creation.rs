//! Who may create users and admins: anyone signs up unless sign-up is closed, and only
//! platform admins create admins.

use roster_tests::problem::{assert_problem, assert_unauthorized};
use roster_tests::{backend_tests, unique_email, with_admin, TestApp, TestUser};
use serde_json::json;

use crate::support::stored::db;

/// An admin creates a user (the only way in when sign-up is closed); returns it signed in.
fn created_by_admin(app: &TestApp, admin: &TestUser, label: &str) -> TestUser {
    let email = unique_email(label);
    let password = "created by admin";
    let res = app.client.post(
        "/v1/users",
        Some(&admin.token),
        &json!({"email": email, "password": password}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let tokens = app.login(&email, password);
    TestUser::from_tokens(&res.body["id"], email, password, &tokens)
}

fn only_admins_may_create_admins(app: &TestApp) {
    let email = unique_email("wannabe");
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

backend_tests!(only_admins_may_create_admins,);
