//! Limits: set by platform admins only, enforced atomically (a burst of concurrent additions
//! never passes one), 409 with a problem type naming the limit; usage beside them.

use std::sync::Barrier;
use std::thread;

use roster_tests::problem::assert_problem;
use roster_tests::{with_admin, TestApp, TestUser};
use serde_json::json;

use crate::support::access::{accept, invite, staffed_org};

fn set_limits(app: &TestApp, admin: &TestUser, org: &str, limits: serde_json::Value) {
    let res = app.client.patch(
        &format!("/v1/organizations/{org}"),
        Some(&admin.token),
        &json!({"limits": limits}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
}

#[test]
fn only_platform_admins_set_limits() {
    with_admin(&[], |app, admin| {
        let (owner, _) = staffed_org(app, "acme", &[]);
        let by_owner = app.client.patch(
            "/v1/organizations/acme",
            Some(&owner.token),
            &json!({"limits": {"max_members": 5}}),
        );
        assert_problem(&by_owner, 403, "forbidden");
        let at_creation = app.client.post(
            "/v1/organizations",
            Some(&owner.token),
            &json!({"name": "other", "limits": {"max_members": 5}}),
        );
        assert_problem(&at_creation, 403, "forbidden");
        set_limits(
            app,
            admin,
            "acme",
            json!({"max_members": 5, "max_invitations": 2}),
        );
        // Merged key by key; an owner sending them unchanged is fine.
        set_limits(app, admin, "acme", json!({"max_api_keys": 3}));
        let org = app.client.get("/v1/organizations/acme", Some(&owner.token));
        assert_eq!(
            org.body["limits"],
            json!({"max_members": 5, "max_api_keys": 3, "max_invitations": 2, "max_teams": null, "max_projects": null})
        );
        let same = app.client.patch(
            "/v1/organizations/acme",
            Some(&owner.token),
            &json!({"limits": {"max_members": 5}, "description": "d"}),
        );
        assert_eq!(same.status, 200, "{}", same.text);
        let usage = app
            .client
            .get("/v1/organizations/acme/usage", Some(&owner.token));
        assert_eq!(usage.status, 200, "{}", usage.text);
        assert_eq!(
            usage.body,
            json!({
                "members": {"used": 1, "limit": 5},
                "api_keys": {"used": 0, "limit": 3},
                "invitations": {"used": 0, "limit": 2},
                "teams": {"used": 0, "limit": null},
                "projects": {"used": 0, "limit": null}
            })
        );
    });
}

/// Twelve people added at once to an organization with room for five more: five join.
#[test]
fn a_burst_of_additions_never_passes_the_member_limit() {
    with_admin(&[], |app, admin| {
        let (owner, _) = staffed_org(app, "acme", &[]);
        set_limits(app, admin, "acme", json!({"max_members": 6}));
        let people: Vec<TestUser> = (0..12).map(|i| app.sign_up(&format!("p{i}"))).collect();
        let barrier = Barrier::new(people.len());
        let statuses: Vec<u16> = thread::scope(|s| {
            let handles: Vec<_> = people
                .iter()
                .map(|person| {
                    let barrier = &barrier;
                    let owner = &owner;
                    s.spawn(move || {
                        barrier.wait();
                        let res = app.client.post(
                            "/v1/organizations/acme/members",
                            Some(&owner.token),
                            &json!({"user_id": person.id, "role": "member"}),
                        );
                        if res.status == 409 {
                            assert_problem(&res, 409, "max-members-reached");
                        }
                        res.status
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            5,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 409).count(),
            7,
            "{statuses:?}"
        );
        let org = app
            .client
            .get("/v1/organizations/acme?expand=members", Some(&owner.token));
        assert_eq!(org.body["member_count"], 6);
        assert_eq!(org.body["members"].as_array().unwrap().len(), 6);
    });
}

/// Accepted invitations count: invitations may outnumber the room, acceptances never pass it,
/// even at once.
#[test]
fn accepted_invitations_respect_the_member_limit() {
    with_admin(&[], |app, admin| {
        let (owner, _) = staffed_org(app, "acme", &[]);
        set_limits(app, admin, "acme", json!({"max_members": 3}));
        let people: Vec<TestUser> = (0..5).map(|i| app.sign_up(&format!("i{i}"))).collect();
        let tokens: Vec<String> = people
            .iter()
            .map(|p| {
                invite(app, &owner, "acme", &p.email, "member")["token"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let barrier = Barrier::new(people.len());
        let statuses: Vec<u16> = thread::scope(|s| {
            let handles: Vec<_> = people
                .iter()
                .zip(&tokens)
                .map(|(person, token)| {
                    let barrier = &barrier;
                    s.spawn(move || {
                        barrier.wait();
                        accept(app, person, token).status
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            2,
            "{statuses:?}"
        );
        assert_eq!(
            app.client
                .get("/v1/organizations/acme", Some(&owner.token))
                .body["member_count"],
            3
        );
    });
}

#[test]
fn invitation_and_key_limits_name_themselves() {
    with_admin(&[], |app, admin| {
        let (owner, _) = staffed_org(app, "acme", &[]);
        set_limits(
            app,
            admin,
            "acme",
            json!({"max_invitations": 1, "max_api_keys": 1}),
        );
        invite(app, &owner, "acme", "a@example.test", "member");
        // Replacing the pending invitation of the same email frees its place.
        invite(app, &owner, "acme", "a@example.test", "viewer");
        let second = app.client.post(
            "/v1/organizations/acme/invitations",
            Some(&owner.token),
            &json!({"email": "b@example.test", "role": "member"}),
        );
        assert_problem(&second, 409, "max-invitations-reached");
        let key = |name: &str| {
            app.client.post(
                "/v1/organizations/acme/api-keys",
                Some(&owner.token),
                &json!({"name": name, "role": "viewer"}),
            )
        };
        let first = key("one");
        assert_eq!(first.status, 201);
        assert_problem(&key("two"), 409, "max-api-keys-reached");
        app.client.delete(
            &format!(
                "/v1/organizations/acme/api-keys/{}",
                first.body["id"].as_str().unwrap()
            ),
            Some(&owner.token),
        );
        assert_eq!(key("three").status, 201, "a revoked key frees its place");
        // Lowering a limit below use is allowed: it only blocks growth.
        set_limits(app, admin, "acme", json!({"max_members": 1}));
        let bob = app.sign_up("bob");
        let add = app.client.post(
            "/v1/organizations/acme/members",
            Some(&owner.token),
            &json!({"user_id": bob.id, "role": "member"}),
        );
        assert_problem(&add, 409, "max-members-reached");
    });
}
