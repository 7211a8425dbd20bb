//! Memberships that end by themselves, personal organizations, and what disabling a user
//! leaves behind.

use std::time::{Duration, Instant};

use roster_tests::problem::assert_problem;
use roster_tests::{with_admin, with_flags, TestApp, TestUser};
use serde_json::json;

use crate::support::access::{member_path, staffed_org};
use crate::support::events::organization_events;
use crate::support::stored::expire_membership;

/// An expired membership grants nothing at once (404, like any non-member), and the sweeper
/// removes it with its event, catching the member count up.
#[test]
fn an_expired_membership_ends_and_is_removed() {
    with_flags(&["--expiry-sweep-interval", "1"], |app| {
        let (owner, staff) = staffed_org(app, "acme", &["member"]);
        let member = &staff[0];
        let org = app.client.get("/v1/organizations/acme", Some(&owner.token));
        let org_id = org.body["id"].as_str().unwrap().to_owned();
        expire_membership(app, &org_id, &member.id);
        assert_problem(
            &app.client
                .get("/v1/organizations/acme", Some(&member.token)),
            404,
            "not-found",
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let count = app
                .client
                .get("/v1/organizations/acme", Some(&owner.token))
                .body["member_count"]
                .clone();
            if count == 1 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the sweeper did not remove the membership"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        let events = organization_events(app, &owner, "acme");
        let deleted = events
            .iter()
            .find(|e| e["type"] == "membership.deleted")
            .expect("an event");
        assert_eq!(deleted["data"]["reason"], "expired");
        assert_eq!(deleted["actor"]["type"], "system");
    });
}

/// A pending invitation past its time cannot be accepted from that moment, and the sweep stores
/// `expired` with its `invitation.expired` event, once (several sweeps find nothing more).
#[test]
fn an_expired_invitation_is_recorded_as_expired() {
    with_flags(&["--expiry-sweep-interval", "1"], |app| {
        let owner = app.sign_up("owner");
        app.create_org(&owner, "acme");
        let guest = app.sign_up("guest");
        let invitation =
            crate::support::access::invite(app, &owner, "acme", &guest.email, "member");
        let id = roster_domain::InvitationId::parse(invitation["id"].as_str().unwrap()).unwrap();
        crate::support::stored::db(app)
            .write(|conn| {
                use roster_store::diesel::prelude::*;
                use roster_store::schema::invitations;
                roster_store::diesel::update(invitations::table.find(roster_store::DbId::from(id)))
                    .set(invitations::expires_at.eq(roster_store::Ts(
                        chrono::Utc::now() - chrono::Duration::minutes(1),
                    )))
                    .execute(conn)
                    .map_err(roster_store::StoreError::from)
            })
            .unwrap();
        let token = invitation["token"].as_str().unwrap();
        assert_problem(
            &crate::support::access::accept(app, &guest, token),
            410,
            "invitation-expired",
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        let expired = loop {
            let events = organization_events(app, &owner, "acme");
            let found: Vec<_> = events
                .iter()
                .filter(|e| e["type"] == "invitation.expired")
                .cloned()
                .collect();
            if !found.is_empty() {
                break found;
            }
            assert!(Instant::now() < deadline, "the sweep recorded no expiry");
            std::thread::sleep(Duration::from_millis(200));
        };
        std::thread::sleep(Duration::from_millis(2500)); // two more sweeps
        let again = organization_events(app, &owner, "acme")
            .iter()
            .filter(|e| e["type"] == "invitation.expired")
            .count();
        assert_eq!(again, 1, "recorded once");
        assert_eq!(expired[0]["data"]["email"], guest.email.as_str());
        assert_eq!(expired[0]["actor"]["type"], "system");
        let listed = app.client.get(
            "/v1/organizations/acme/invitations?state=expired",
            Some(&owner.token),
        );
        assert_eq!(
            listed.body["data"].as_array().unwrap().len(),
            1,
            "{}",
            listed.text
        );
        assert_eq!(listed.body["data"][0]["state"], "expired");
        assert_problem(
            &crate::support::access::accept(app, &guest, token),
            410,
            "invitation-expired",
        );
    });
}

/// With `--personal-orgs`, each new account gets an organization of its own that it keeps.
#[test]
fn personal_organizations_stay_with_their_person() {
    with_flags(&["--personal-orgs"], |app| {
        let ada = app.sign_up("ada.lovelace");
        let mine = app
            .client
            .get("/v1/organizations?personal=only", Some(&ada.token));
        let orgs = mine.body["data"].as_array().unwrap();
        assert_eq!(orgs.len(), 1, "{}", mine.text);
        assert_eq!(orgs[0]["personal"], true);
        let name = orgs[0]["name"].as_str().unwrap().to_owned();
        assert!(name.starts_with("ada-lovelace-"), "{name}");
        assert!(app
            .client
            .get("/v1/organizations?personal=exclude", Some(&ada.token))
            .body["data"]
            .as_array()
            .unwrap()
            .is_empty());
        // Even with a second owner, the person it was made for neither leaves nor hands it over.
        let bob = app.sign_up("bob");
        let add = app.client.post(
            &format!("/v1/organizations/{name}/members"),
            Some(&ada.token),
            &json!({"user_id": bob.id, "role": "owner"}),
        );
        assert_eq!(add.status, 201, "{}", add.text);
        assert_problem(
            &app.client
                .delete(&member_path(&name, &ada.id), Some(&ada.token)),
            409,
            "personal-organization",
        );
        assert_problem(
            &app.client
                .delete(&member_path(&name, &ada.id), Some(&bob.token)),
            409,
            "personal-organization",
        );
        let transfer = app.client.post(
            &format!("/v1/organizations/{name}/transfer-ownership"),
            Some(&ada.token),
            &json!({"user_id": bob.id}),
        );
        assert_problem(&transfer, 409, "personal-organization");
        // Nor may a co-owner lift the guard to push her out; she may.
        let lift = |token: &str| {
            app.client.patch(
                &format!("/v1/organizations/{name}"),
                Some(token),
                &json!({"personal": false}),
            )
        };
        assert_problem(&lift(&bob.token), 403, "forbidden");
        assert_eq!(lift(&ada.token).status, 200);
        let back = || {
            app.client.patch(
                &format!("/v1/organizations/{name}"),
                Some(&ada.token),
                &json!({"personal": true}),
            )
        };
        // Not back on while Bob co-owns it: she would become impossible for him to remove.
        assert_problem(&back(), 403, "forbidden");
        // Bob may leave it, and then it is hers alone again.
        assert_eq!(
            app.client
                .delete(&member_path(&name, &bob.id), Some(&bob.token))
                .status,
            204
        );
        assert_eq!(back().status, 200);
    });
}

/// Disabling is always allowed; the organizations it leaves without an active owner are named
/// in the answer and in `user.disabled`, and a platform admin can repair them.
#[test]
fn disabling_a_sole_owner_names_the_organizations_left_without_one() {
    with_admin(&[], |app, admin| {
        let (owner, staff) = staffed_org(app, "solo", &["member"]);
        let member: &TestUser = &staff[0];
        app.create_org(&owner, "shared");
        let co = app.sign_up("co");
        app.client.post(
            "/v1/organizations/shared/members",
            Some(&owner.token),
            &json!({"user_id": co.id, "role": "owner"}),
        );
        let res = app.client.patch(
            &format!("/v1/users/{}", owner.id),
            Some(&admin.token),
            &json!({"state": "disabled"}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        let named: Vec<&str> = res.body["organizations_without_owner"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        assert_eq!(named, ["solo"]);
        let events = app
            .client
            .get("/v1/events?type=user.disabled", Some(&admin.token));
        let event = events.body["data"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(
            event["data"]["organizations_without_owner"][0]["name"],
            "solo"
        );
        // Memberships stay; a platform admin makes the member owner.
        let repair = app.client.patch(
            &member_path("solo", &member.id),
            Some(&admin.token),
            &json!({"role": "owner"}),
        );
        assert_eq!(repair.status, 200, "{}", repair.text);
        assert_eq!(
            app.client
                .get(&member_path("solo", &owner.id), Some(&admin.token))
                .status,
            200,
            "kept"
        );
        let again = app.client.patch(
            &format!("/v1/users/{}", member.id),
            Some(&admin.token),
            &json!({"name": "renamed"}),
        );
        assert_eq!(again.body["organizations_without_owner"], json!([]));
    });
}

fn whoami_for(app: &TestApp, token: &str) -> serde_json::Value {
    let res = app.client.get("/v1/auth/whoami", Some(token));
    assert_eq!(res.status, 200, "{}", res.text);
    res.body
}

#[test]
fn whoami_describes_every_kind_of_credential() {
    with_flags(&[], |app| {
        let (owner, staff) = staffed_org(app, "acme", &["admin"]);
        let admin = &staff[0];
        let plain = whoami_for(app, &admin.token);
        assert_eq!(plain["kind"], "user");
        assert_eq!(plain["user"]["id"], admin.id.as_str());
        assert_eq!(plain["organization"], serde_json::Value::Null);
        assert!(plain["expires_at"].is_string());

        let scoped = app.client.post("/v1/auth/token", None, &json!({"grant_type": "password", "username": admin.email, "password": admin.password, "organization": "acme"}));
        let scoped = whoami_for(app, scoped.body["access_token"].as_str().unwrap());
        assert_eq!(scoped["organization"]["name"], "acme");
        assert_eq!(scoped["role"], "admin");
        assert!(scoped["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("members:write")));

        let (_, key) =
            crate::support::access::org_key(app, admin, "acme", "viewer", &["reports:read"]);
        let by_key = whoami_for(app, &key);
        assert_eq!(by_key["kind"], "api_key");
        assert_eq!(by_key["user"]["id"], admin.id.as_str());
        assert_eq!(by_key["api_key"]["prefix"], &key[..12]);
        assert_eq!(by_key["role"], "viewer");
        assert_eq!(
            by_key["permissions"],
            json!(["organization:read", "reports:read"])
        );

        let (_, personal) = crate::support::access::personal_key(app, &owner);
        let by_personal = whoami_for(app, &personal);
        assert_eq!(by_personal["kind"], "api_key");
        assert_eq!(by_personal["organization"], serde_json::Value::Null);
        assert_eq!(by_personal["expires_at"], serde_json::Value::Null);
    });
}
