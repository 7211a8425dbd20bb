//! Every change of the access model writes its event, in the organization's audit log, with
//! the actor (a user or an API key); a refused request writes none; no token or key appears.

use roster_tests::problem::assert_problem;
use roster_tests::{with_admin, TestApp, TestUser};
use serde_json::{json, Value};

use crate::support::access::{
    accept, add_member, invite, member_path, org_key, personal_key, staffed_org,
};
use crate::support::events::{all_events, organization_events, types};

fn new_types(app: &TestApp, owner: &TestUser, before: usize) -> Vec<String> {
    types(&organization_events(app, owner, "acme")[before..])
}

#[test]
fn every_access_change_is_recorded_and_refusals_are_not() {
    with_admin(&[], |app, admin| {
        let (owner, staff) = staffed_org(app, "acme", &["viewer"]);
        let viewer = &staff[0];
        let mark = |app: &TestApp| organization_events(app, &owner, "acme").len();
        let mut secrets: Vec<String> = Vec::new();

        let at = mark(app);
        let bob = app.sign_up("bob");
        add_member(app, &owner, "acme", &bob, "member");
        app.client.patch(
            &member_path("acme", &bob.id),
            Some(&owner.token),
            &json!({"role": "admin", "permissions": ["billing:*"]}),
        );
        app.client.post(
            "/v1/organizations/acme/transfer-ownership",
            Some(&owner.token),
            &json!({"user_id": bob.id}),
        );
        app.client
            .delete(&member_path("acme", &viewer.id), Some(&viewer.token));
        assert_eq!(
            new_types(app, &owner, at),
            [
                "membership.created",
                "membership.updated",
                "membership.updated",
                "membership.updated",
                "membership.deleted"
            ]
        );
        let events = organization_events(app, &owner, "acme");
        let update = &events[at + 1];
        assert_eq!(
            update["data"]["changes"]["role"],
            json!({"from": "member", "to": "admin"})
        );
        assert_eq!(update["actor"]["id"], owner.id.as_str());
        assert_eq!(events[at + 2]["data"]["reason"], "ownership_transferred");
        assert_eq!(events[at + 4]["data"]["reason"], "left");

        let at = mark(app);
        app.client.post(
            "/v1/organizations/acme/roles",
            Some(&bob.token),
            &json!({"key": "auditor", "name": "Auditor", "permissions": ["events:read"]}),
        );
        app.client.patch(
            "/v1/organizations/acme/roles/auditor",
            Some(&bob.token),
            &json!({"name": "Auditors"}),
        );
        app.client
            .delete("/v1/organizations/acme/roles/auditor", Some(&bob.token));
        assert_eq!(
            new_types(app, &owner, at),
            ["role.created", "role.updated", "role.deleted"]
        );

        let at = mark(app);
        let grace = app.sign_up("grace");
        let first = invite(app, &bob, "acme", &grace.email, "viewer");
        let second = invite(app, &bob, "acme", &grace.email, "member");
        accept(app, &grace, second["token"].as_str().unwrap());
        let third = invite(app, &bob, "acme", "carol@example.test", "member");
        app.client.delete(
            &format!(
                "/v1/organizations/acme/invitations/{}",
                third["id"].as_str().unwrap()
            ),
            Some(&bob.token),
        );
        for made in [&first, &second, &third] {
            secrets.push(made["token"].as_str().unwrap().to_owned());
        }
        assert_eq!(
            new_types(app, &owner, at),
            [
                "invitation.created",
                "invitation.revoked",
                "invitation.created",
                "invitation.accepted",
                "membership.created",
                "invitation.created",
                "invitation.revoked"
            ]
        );

        let at = mark(app);
        let (id, key) = org_key(app, &bob, "acme", "admin", &[]);
        secrets.push(key.clone());
        // What the key does is the key's doing.
        let carol = app.sign_up("carol");
        let by_key = app.client.post(
            "/v1/organizations/acme/members",
            Some(&key),
            &json!({"user_id": carol.id, "role": "viewer"}),
        );
        assert_eq!(by_key.status, 201, "{}", by_key.text);
        app.client.delete(
            &format!("/v1/organizations/acme/api-keys/{id}"),
            Some(&bob.token),
        );
        assert_eq!(
            new_types(app, &owner, at),
            ["api_key.created", "membership.created", "api_key.revoked"]
        );
        let events = organization_events(app, &owner, "acme");
        assert_eq!(
            events[at + 1]["actor"],
            json!({"type": "api_key", "id": id, "email": null})
        );

        // Refused requests record nothing.
        let at = mark(app);
        assert_problem(
            &app.client
                .delete(&member_path("acme", &bob.id), Some(&bob.token)),
            409,
            "last-owner",
        );
        assert_problem(
            &app.client.post(
                "/v1/organizations/acme/roles",
                Some(&grace.token),
                &json!({"key": "x", "name": "X", "permissions": []}),
            ),
            403,
            "forbidden",
        );
        assert_problem(
            &app.client.post(
                "/v1/organizations/acme/members",
                Some(&bob.token),
                &json!({"user_id": carol.id, "role": "viewer"}),
            ),
            409,
            "already-member",
        );
        assert_eq!(mark(app), at);

        // Personal keys are the platform's events.
        let (_, personal) = personal_key(app, &grace);
        secrets.push(personal);
        let platform: Vec<Value> = all_events(app, admin, "/v1/events?type=api_key.*");
        assert!(platform
            .iter()
            .any(|e| e["organization_id"].is_null() && e["type"] == "api_key.created"));

        let log = serde_json::to_string(&all_events(app, admin, "/v1/events")).unwrap();
        for secret in &secrets {
            assert!(
                !log.contains(secret.as_str()),
                "a secret is in the audit log"
            );
        }
    });
}
