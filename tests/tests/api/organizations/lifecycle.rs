//! An organization's states: active and inactive, closing (by DELETE or by PATCH), what a
//! closed organization still allows, and the forced deletion that removes it for good.

use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, TestApp};
use serde_json::{json, Value};

use crate::support::organizations::{etag_of, get_org, listed_names, timestamp};

fn delete_closes_the_organization(app: &TestApp) {
    let alice = app.sign_up("alice");
    let org = app.create_org(&alice, "acme");
    let res = app
        .client
        .delete("/v1/organizations/acme", Some(&alice.token));
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["id"], org["id"]);
    assert_eq!(res.body["state"], "closed");
    let closed_at = timestamp(&res.body["closed_at"]);
    assert!(closed_at >= timestamp(&org["created_at"]));
    assert_eq!(res.header("etag"), Some(etag_of(&org, 2).as_str()));

    let fetched = get_org(app, &alice, "acme");
    assert_eq!(fetched.status, 200, "a closed organization can be read");
    assert_eq!(fetched.body, res.body);
}

fn forced_delete_removes_it_and_frees_its_name(app: &TestApp) {
    let alice = app.sign_up("alice");
    let org = app.create_org(&alice, "acme-old");
    let id = org["id"].as_str().unwrap();
    let renamed = app.client.patch(
        "/v1/organizations/acme-old",
        Some(&alice.token),
        &json!({"name": "acme"}),
    );
    assert_eq!(renamed.status, 200);
    let res = app.client.delete(
        "/v1/organizations/acme?force=true&confirm=acme",
        Some(&alice.token),
    );
    assert_eq!(res.status, 204, "{}", res.text);
    assert!(res.text.is_empty());
    assert_problem(&get_org(app, &alice, id), 404, "not-found");
    assert_problem(&get_org(app, &alice, "acme"), 404, "not-found");
    assert_problem(&get_org(app, &alice, "acme-old"), 404, "not-found");
    assert!(listed_names(app, &alice, "state=active,inactive,closed").is_empty());
    let again = app.client.delete(
        "/v1/organizations/acme?force=true&confirm=acme",
        Some(&alice.token),
    );
    assert_problem(&again, 404, "not-found");
    let reborn = app.create_org(&alice, "acme");
    assert_ne!(reborn["id"], org["id"]);
    let reborn_old = app.create_org(&alice, "acme-old");
    assert_eq!(get_org(app, &alice, "acme-old").body, reborn_old);
}

fn forced_delete_without_the_matching_confirm_is_422_and_keeps_it(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    for query in [
        "force=true",
        "force=true&confirm=acne",
        "force=true&confirm=",
    ] {
        let res = app.client.delete(
            &format!("/v1/organizations/acme?{query}"),
            Some(&alice.token),
        );
        assert_field_error(&res, "confirm", "mismatch");
    }
    let fetched = get_org(app, &alice, "acme");
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body["state"], "active", "not even closed");
}

fn state_moves_between_active_and_inactive(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"state": "inactive"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "inactive");
    assert_eq!(res.body["closed_at"], Value::Null);
    assert_eq!(listed_names(app, &alice, ""), ["acme"], "listed by default");
    assert!(listed_names(app, &alice, "state=active").is_empty());
    assert_eq!(listed_names(app, &alice, "state=inactive"), ["acme"]);

    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"state": "active"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "active");
    assert_eq!(get_org(app, &alice, "acme").body["state"], "active");
}

fn patch_state_closed_closes_it(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"state": "closed"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "closed");
    timestamp(&res.body["closed_at"]);
    assert_eq!(get_org(app, &alice, "acme").body["state"], "closed");
}

fn a_closed_organization_refuses_every_change_but_a_forced_delete(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let closed = app
        .client
        .delete("/v1/organizations/acme", Some(&alice.token));
    assert_eq!(closed.status, 200);

    for patch in [
        json!({"description": "still here"}),
        json!({"state": "active"}),
        json!({"state": "inactive"}),
        json!({"state": "closed"}),
        json!({"name": "acme-reborn"}),
    ] {
        let res = app
            .client
            .patch("/v1/organizations/acme", Some(&alice.token), &patch);
        assert_problem(&res, 409, "conflict");
    }
    let again = app
        .client
        .delete("/v1/organizations/acme", Some(&alice.token));
    assert_problem(&again, 409, "conflict");

    let fetched = get_org(app, &alice, "acme");
    assert_eq!(fetched.body, closed.body, "nothing changed");
    assert_eq!(fetched.header("etag"), closed.header("etag"));

    let gone = app.client.delete(
        "/v1/organizations/acme?force=true&confirm=acme",
        Some(&alice.token),
    );
    assert_eq!(gone.status, 204, "{}", gone.text);
    assert_problem(&get_org(app, &alice, "acme"), 404, "not-found");
}

fn closed_organizations_are_listed_only_when_asked_for(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "open");
    app.create_org(&alice, "shut");
    let res = app
        .client
        .delete("/v1/organizations/shut", Some(&alice.token));
    assert_eq!(res.status, 200);
    assert_eq!(listed_names(app, &alice, ""), ["open"]);
    assert_eq!(listed_names(app, &alice, "state=closed"), ["shut"]);
    assert_eq!(
        listed_names(app, &alice, "state=active,closed&sort=name"),
        ["open", "shut"]
    );
}

backend_tests!(
    delete_closes_the_organization,
    forced_delete_removes_it_and_frees_its_name,
    forced_delete_without_the_matching_confirm_is_422_and_keeps_it,
    state_moves_between_active_and_inactive,
    patch_state_closed_closes_it,
    a_closed_organization_refuses_every_change_but_a_forced_delete,
    closed_organizations_are_listed_only_when_asked_for,
);
