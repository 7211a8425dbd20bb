//! Deleting an account: the user leaves through the one way out (never an organization's last
//! owner), everything they held ends, and the audit log keeps their id, not their address.

use std::thread;

use roster_tests::problem::{assert_invalid_grant, assert_only_field_error, assert_problem};
use roster_tests::{Backend, TestApp, TestUser};
use serde_json::json;

use crate::support::events::all_events;
use crate::support::stored::{kept_responses, stored_anywhere};
use crate::support::token_endpoint::refresh;

fn delete_me(app: &TestApp, user: &TestUser, password: &str) -> roster_tests::Res {
    app.client.send_with(
        "DELETE",
        "/v1/users/me",
        Some(&user.token),
        &[],
        Some(&json!({"password": password})),
    )
}

fn join(app: &TestApp, owner: &TestUser, org: &str, member: &TestUser, role: &str) {
    let res = app.client.post(
        &format!("/v1/organizations/{org}/members"),
        Some(&owner.token),
        &json!({"user_id": member.id, "role": role}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
}

fn deleting_your_account_erases_you(backend: Backend) {
    let Some((app, admin)) = TestApp::spawn_with_admin(backend, &[]) else {
        return;
    };
    let owner = app.sign_up("stayer");
    app.create_org(&owner, "left-behind");
    let leaver = app.sign_up("leaver");
    join(&app, &owner, "left-behind", &leaver, "admin");
    let key = app.client.post(
        "/v1/organizations/left-behind/api-keys",
        Some(&leaver.token),
        &json!({"name": "leaver's key", "role": "admin"}),
    );
    assert_eq!(key.status, 201, "{}", key.text);
    let key_scope = format!("api_key:{}", key.body["id"].as_str().unwrap());
    let key = key.body["key"].as_str().unwrap().to_owned();
    // What the key and the user sent with an Idempotency-Key is kept (for replays) until
    // the account goes.
    for credential in [&key, &leaver.token] {
        let res = app.client.send_with(
            "POST",
            "/v1/organizations/left-behind/invitations",
            Some(credential),
            &[("Idempotency-Key", "once")],
            Some(&json!({"email": roster_tests::unique_email("kept"), "role": "member"})),
        );
        assert_eq!(res.status, 201, "{}", res.text);
    }
    let user_scope = format!("user:{}/", leaver.id);
    assert_eq!(kept_responses(&app, &key_scope), 1);
    assert_eq!(kept_responses(&app, &user_scope), 1);

    assert_only_field_error(&delete_me(&app, &leaver, "not my password"), "password");
    let res = delete_me(&app, &leaver, &leaver.password);
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(kept_responses(&app, &key_scope), 0);
    assert_eq!(kept_responses(&app, &user_scope), 0);
    // Nowhere in any table: not the account, the log, the mail history or the throttle's
    // count of the wrong password above (signing in with it afterwards is counted again, as
    // for any address). On SQLite the bytes of deleted rows may linger in the file's free
    // pages until VACUUM.
    if backend == Backend::Postgres {
        assert!(
            !stored_anywhere(&app, &leaver.email),
            "the address is still stored"
        );
    }

    assert_invalid_grant(&refresh(&app, &leaver.refresh_token));
    let res = app.client.post(
        "/v1/auth/token",
        None,
        &json!({"grant_type": "password", "username": leaver.email, "password": leaver.password}),
    );
    assert_invalid_grant(&res);
    assert_eq!(
        app.client
            .get("/v1/organizations/left-behind", Some(&key))
            .status,
        401
    );
    let gone = app
        .client
        .get(&format!("/v1/users/{}", leaver.id), Some(&admin.token));
    assert_problem(&gone, 404, "not-found");
    let members = app
        .client
        .get("/v1/organizations/left-behind/members", Some(&owner.token));
    assert_eq!(
        members.body["data"].as_array().unwrap().len(),
        1,
        "{}",
        members.text
    );

    // The audit log keeps the id, never the address.
    let events = all_events(&app, &admin, "/v1/events?limit=1000");
    let mentions: Vec<_> = events
        .iter()
        .filter(|e| e.to_string().contains(&leaver.email))
        .collect();
    assert!(mentions.is_empty(), "{mentions:?}");
    let deleted: Vec<_> = events
        .iter()
        .filter(|e| e["type"] == "user.deleted")
        .collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["target"]["id"], leaver.id.as_str());
    let org_events = all_events(&app, &owner, "/v1/organizations/left-behind/events");
    let left = org_events
        .iter()
        .find(|e| e["type"] == "membership.deleted")
        .expect("membership.deleted");
    assert_eq!(left["target"]["id"], leaver.id.as_str());
    assert_eq!(left["data"]["email"], "[erased]");
}

#[test]
fn sqlite_deleting_your_account_erases_you() {
    deleting_your_account_erases_you(Backend::Sqlite);
}

#[test]
fn postgres_deleting_your_account_erases_you() {
    deleting_your_account_erases_you(Backend::Postgres);
}

fn the_last_owner_cannot_go_until_someone_else_owns_it(app: &TestApp) {
    let owner = app.sign_up("last-one");
    app.create_org(&owner, "owned-alone");
    let other = app.sign_up("next-one");
    join(app, &owner, "owned-alone", &other, "member");
    let res = delete_me(app, &owner, &owner.password);
    assert_problem(&res, 409, "last-owner");
    assert!(
        res.body["detail"].as_str().unwrap().contains("owned-alone"),
        "{}",
        res.text
    );
    // Nothing was half-done.
    let me = app.client.get("/v1/users/me", Some(&owner.token));
    assert_eq!(me.status, 200);
    let res = app.client.post(
        "/v1/organizations/owned-alone/transfer-ownership",
        Some(&owner.token),
        &json!({"user_id": other.id}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(delete_me(app, &owner, &owner.password).status, 204);
    let org = app
        .client
        .get("/v1/organizations/owned-alone", Some(&other.token));
    assert_eq!(org.body["member_count"], 1, "{}", org.text);
}

fn two_owners_deleting_themselves_at_once_leave_one(app: &TestApp) {
    let first = app.sign_up("co-owner-a");
    let org = app.create_org(&first, "co-owned");
    let second = app.sign_up("co-owner-b");
    join(app, &first, "co-owned", &second, "owner");
    let statuses: Vec<u16> = thread::scope(|s| {
        let racers: Vec<_> = [&first, &second]
            .into_iter()
            .map(|user| s.spawn(move || delete_me(app, user, &user.password).status))
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let mut sorted = statuses.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![204, 409], "{statuses:?}");
    let survivor = if statuses[0] == 409 { &first } else { &second };
    let res = app.client.get(
        &format!("/v1/organizations/{}", org["id"].as_str().unwrap()),
        Some(&survivor.token),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["member_count"], 1);
}

fn invitations_waiting_for_the_address_are_withdrawn(app: &TestApp) {
    let owner = app.sign_up("withdrawer");
    app.create_org(&owner, "waiting-org");
    let leaver = app.sign_up("invited-leaver");
    let res = app.client.post(
        "/v1/organizations/waiting-org/invitations",
        Some(&owner.token),
        &json!({"email": leaver.email, "role": "member"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(delete_me(app, &leaver, &leaver.password).status, 204);
    let list = app.client.get(
        "/v1/organizations/waiting-org/invitations?state=revoked",
        Some(&owner.token),
    );
    assert_eq!(
        list.body["data"].as_array().unwrap().len(),
        1,
        "{}",
        list.text
    );
    assert!(!list.text.contains(&leaver.email), "{}", list.text);
}

roster_tests::backend_tests!(
    the_last_owner_cannot_go_until_someone_else_owns_it,
    two_owners_deleting_themselves_at_once_leave_one,
    invitations_waiting_for_the_address_are_withdrawn,
);

fn a_platform_admin_deletes_a_user(backend: Backend) {
    let Some((app, admin)) = TestApp::spawn_with_admin(backend, &["--personal-orgs"]) else {
        return;
    };
    let user = app.sign_up("deleted-by-admin");
    let other = app.sign_up("bystander");
    let path = format!("/v1/users/{}", user.id);
    assert_problem(
        &app.client.delete(&path, Some(&other.token)),
        403,
        "forbidden",
    );
    let res = app.client.delete(&path, Some(&admin.token));
    assert_eq!(res.status, 204, "{}", res.text);
    assert_problem(
        &app.client.delete(&path, Some(&admin.token)),
        404,
        "not-found",
    );
    // Their personal organization went with them.
    let orgs = app.client.get(
        "/v1/organizations?scope=all&personal=only",
        Some(&admin.token),
    );
    assert_eq!(orgs.status, 200, "{}", orgs.text);
    assert_eq!(
        orgs.body["data"].as_array().unwrap().len(),
        1,
        "{}",
        orgs.text
    );
    // The last platform admin stays.
    let res = app
        .client
        .delete(&format!("/v1/users/{}", admin.id), Some(&admin.token));
    assert_problem(&res, 409, "conflict");
}

#[test]
fn sqlite_a_platform_admin_deletes_a_user() {
    a_platform_admin_deletes_a_user(Backend::Sqlite);
}

#[test]
fn postgres_a_platform_admin_deletes_a_user() {
    a_platform_admin_deletes_a_user(Backend::Postgres);
}
