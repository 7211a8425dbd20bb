//! Every change records its events, in the same transaction: a request that fails records none.

use roster_tests::{with_admin, TestApp};
use serde_json::{json, Value};

use crate::support::events::{all_events, organization_events, types};

fn creating_an_organization_records_it_and_each_membership(app: &TestApp) {
    let ada = app.sign_up("ada");
    let bob = app.sign_up("bob");
    let res = app.client.send_with(
        "POST",
        "/v1/organizations",
        Some(&ada.token),
        &[
            ("X-Request-Id", "create-acme"),
            ("User-Agent", "roster-tests/1"),
        ],
        Some(&json!({"name": "acme", "members": [{"user_id": bob.id, "role": "admin"}]})),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let org_id = res.body["id"].as_str().unwrap().to_owned();
    let events = organization_events(app, &ada, "acme");
    assert_eq!(
        types(&events),
        [
            "organization.created",
            "membership.created",
            "membership.created"
        ]
    );
    let sequences: Vec<i64> = events
        .iter()
        .map(|e| e["sequence"].as_i64().unwrap())
        .collect();
    assert_eq!(sequences, [1, 2, 3]);
    let created = &events[0];
    assert_eq!(created["organization_id"], org_id.as_str());
    assert_eq!(
        created["actor"],
        json!({"type": "user", "id": ada.id, "email": ada.email})
    );
    assert_eq!(
        created["target"],
        json!({"type": "organization", "id": org_id})
    );
    assert_eq!(created["data"]["name"], "acme");
    assert_eq!(created["request_id"], "create-acme");
    assert_eq!(created["context"]["user_agent"], "roster-tests/1");
    assert_eq!(created["context"]["ip"], "127.0.0.1");
    assert!(created["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        events[1]["target"],
        json!({"type": "membership", "id": ada.id})
    );
    assert_eq!(events[1]["data"]["role"], "owner");
    assert_eq!(
        events[2]["target"],
        json!({"type": "membership", "id": bob.id})
    );
    assert_eq!(events[2]["data"]["role"], "admin");
}

fn an_update_records_each_changed_field_and_a_rename_and_a_close(app: &TestApp) {
    let ada = app.sign_up("ada");
    app.create_org(&ada, "acme");
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&ada.token),
        &json!({"name": "acme-inc", "display_name": "Acme, Inc.", "custom": {"plan": "gold"},
                "description": null}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app.client.patch(
        "/v1/organizations/acme-inc",
        Some(&ada.token),
        &json!({"state": "closed"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let events = organization_events(app, &ada, "acme-inc");
    assert_eq!(
        types(&events)[2..],
        [
            "organization.updated",
            "organization.renamed",
            "organization.updated",
            "organization.closed"
        ]
    );
    let changes = &events[2]["data"]["changes"];
    assert_eq!(changes["name"], json!({"from": "acme", "to": "acme-inc"}));
    assert_eq!(
        changes["display_name"],
        json!({"from": "acme", "to": "Acme, Inc."})
    );
    assert_eq!(
        changes["custom"],
        json!({"from": {}, "to": {"plan": "gold"}})
    );
    assert!(
        changes.get("description").is_none(),
        "clearing what was empty changes nothing: {changes}"
    );
    assert_eq!(events[3]["data"], json!({"from": "acme", "to": "acme-inc"}));
    assert_eq!(
        events[4]["data"]["changes"]["state"],
        json!({"from": "active", "to": "closed"})
    );
}

fn a_failed_request_records_nothing(app: &TestApp) {
    let ada = app.sign_up("ada");
    app.create_org(&ada, "acme");
    let before = organization_events(app, &ada, "acme").len();
    let bob = app.sign_up("bob");
    for (path, body) in [
        ("/v1/organizations/acme", json!({"name": "Not A Slug"})),
        ("/v1/organizations/acme", json!({"state": "gone"})),
    ] {
        assert_eq!(app.client.patch(path, Some(&ada.token), &body).status, 422);
    }
    let stale = app.client.send_with(
        "PATCH",
        "/v1/organizations/acme",
        Some(&ada.token),
        &[("If-Match", "\"stale\"")],
        Some(&json!({"description": "lost"})),
    );
    assert_eq!(stale.status, 412);
    let taken = app.client.post(
        "/v1/organizations",
        Some(&bob.token),
        &json!({"name": "acme", "members": [{"user_id": ada.id, "role": "member"}]}),
    );
    assert_eq!(taken.status, 409);
    assert_eq!(organization_events(app, &ada, "acme").len(), before);
}

#[test]
fn deleting_an_organization_keeps_its_events_for_platform_admins() {
    with_admin(&[], |app, admin| {
        let ada = app.sign_up("ada");
        let org = app.create_org(&ada, "acme");
        let id = org["id"].as_str().unwrap();
        let res = app.client.delete(
            "/v1/organizations/acme?force=true&confirm=acme",
            Some(&ada.token),
        );
        assert_eq!(res.status, 204);
        assert_eq!(
            app.client
                .get("/v1/organizations/acme/events", Some(&ada.token))
                .status,
            404
        );
        let events = all_events(app, admin, &format!("/v1/events?organization_id={id}"));
        assert_eq!(
            types(&events),
            [
                "organization.created",
                "membership.created",
                "organization.deleted"
            ]
        );
        assert_eq!(events[2]["data"]["name"], "acme");
        assert_eq!(events[2]["actor"]["id"], ada.id.as_str());
    });
}

#[test]
fn user_and_session_changes_are_recorded_in_the_platform_log() {
    with_admin(&[], |app, admin| {
        let ada = app.sign_up("ada");
        let mine = |kind: &str| {
            all_events(app, admin, &format!("/v1/events?type={kind}"))
                .into_iter()
                .filter(|e| {
                    e["target"]["id"] == ada.id.as_str() || e["actor"]["id"] == ada.id.as_str()
                })
                .collect::<Vec<Value>>()
        };
        let created = mine("user.created");
        assert_eq!(created.len(), 1);
        assert_eq!(created[0]["organization_id"], Value::Null);
        assert_eq!(
            created[0]["actor"]["id"],
            ada.id.as_str(),
            "signing up is one's own doing"
        );
        assert_eq!(created[0]["data"]["email"], ada.email.as_str());
        assert_eq!(mine("session.created").len(), 1, "the sign-up's sign-in");

        let res = app.client.patch(
            "/v1/users/me",
            Some(&ada.token),
            &json!({"name": "Ada King"}),
        );
        assert_eq!(res.status, 200);
        let updated = mine("user.updated");
        assert_eq!(
            updated[0]["data"]["changes"]["name"],
            json!({"from": "ada", "to": "Ada King"})
        );

        let second = app.login(&ada.email, &ada.password);
        let res = app.client.post(
            "/v1/users/me/password",
            Some(&ada.token),
            &json!({"current_password": ada.password, "new_password": "a brand new passphrase"}),
        );
        assert_eq!(res.status, 204);
        assert_eq!(mine("user.password_changed").len(), 1);
        let revoked = mine("session.revoked");
        assert_eq!(revoked.len(), 1, "the other session ended: {revoked:?}");
        assert_eq!(revoked[0]["data"]["reason"], "password_changed");

        let res = app.client.post(
            "/v1/auth/revoke",
            None,
            &json!({"token": ada.refresh_token}),
        );
        assert_eq!(res.status, 204);
        let signed_out: Vec<Value> = mine("session.revoked")
            .into_iter()
            .filter(|e| e["data"]["reason"] == "signed_out")
            .collect();
        assert_eq!(signed_out.len(), 1);
        assert_eq!(signed_out[0]["actor"]["id"], ada.id.as_str());
        let _ = second;

        let res = app.client.patch(
            &format!("/v1/users/{}", ada.id),
            Some(&admin.token),
            &json!({"is_admin": true}),
        );
        assert_eq!(res.status, 200);
        let res = app.client.patch(
            &format!("/v1/users/{}", ada.id),
            Some(&admin.token),
            &json!({"is_admin": false, "state": "disabled"}),
        );
        assert_eq!(res.status, 200);
        for kind in ["user.admin_granted", "user.admin_revoked", "user.disabled"] {
            let found = mine(kind);
            assert_eq!(found.len(), 1, "{kind}");
            assert_eq!(found[0]["actor"]["id"], admin.id.as_str(), "{kind}");
        }
    });
}

fn a_replayed_refresh_token_records_the_revoked_session(app: &TestApp) {
    let ada = app.sign_up("ada");
    let org = app.create_org(&ada, "acme");
    let rotated = crate::support::token_endpoint::refresh(app, &ada.refresh_token);
    assert_eq!(rotated.status, 200);
    crate::support::stored::age_rotation(app, &ada.refresh_token, 31);
    assert_eq!(
        crate::support::token_endpoint::refresh(app, &ada.refresh_token).status,
        400
    );
    let reused: Vec<roster_store::events::EventRow> = crate::support::events::stored_events(app)
        .into_iter()
        .filter(|e| e.kind == "session.revoked")
        .collect();
    assert_eq!(reused.len(), 1);
    assert_eq!(reused[0].data.0["reason"], "refresh_token_reused");
    assert_eq!(
        reused[0].actor_id.0.map(|id| id.0.to_string()),
        Some(ada.id.clone())
    );
    let _ = org;
}

/// A client's request id lands in the audit log only when it is a short, safe token; anything
/// else (200 characters, spaces, markup) is replaced by an id of Roster's own.
fn only_a_short_safe_request_id_is_recorded(app: &TestApp) {
    let ada = app.sign_up("ada");
    let long = "x".repeat(200);
    for (sent, kept) in [
        ("trace-42.a_b:c", true),
        (long.as_str(), false),
        ("has spaces", false),
        ("<b>bold</b>", false),
    ] {
        let name = format!("org-{}", uuid::Uuid::now_v7().simple());
        let res = app.client.send_with(
            "POST",
            "/v1/organizations",
            Some(&ada.token),
            &[("X-Request-Id", sent)],
            Some(&json!({"name": name})),
        );
        assert_eq!(res.status, 201, "{}", res.text);
        let echoed = res.header("x-request-id").unwrap().to_owned();
        assert_eq!(echoed == sent, kept, "{sent}");
        let events = organization_events(app, &ada, &name);
        assert_eq!(events[0]["request_id"], echoed.as_str(), "{sent}");
    }
}

roster_tests::backend_tests!(
    only_a_short_safe_request_id_is_recorded,
    creating_an_organization_records_it_and_each_membership,
    an_update_records_each_changed_field_and_a_rename_and_a_close,
    a_failed_request_records_nothing,
    a_replayed_refresh_token_records_the_revoked_session,
);
