//! Invitations: made with a one-time token kept only as its hash, listed, revoked, replaced,
//! and accepted by the invitee alone, once.

use std::sync::Barrier;
use std::thread;

use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::access::{accept, invite, member_path, role_of, staffed_org};
use crate::support::stored::{expire_invitation, mark_verified, stored_anywhere};

fn an_invitee_accepts_and_joins_with_the_role(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let grace = app.sign_up("grace");
    let made = invite(app, &owner, "acme", &grace.email.to_uppercase(), "admin");
    assert_eq!(made["email"], grace.email.as_str(), "stored lowercased");
    assert_eq!(made["role"], "admin");
    assert_eq!(made["organization"]["name"], "acme");
    let token = made["token"].as_str().unwrap();
    assert!(
        !stored_anywhere(app, token),
        "the token is kept as its hash only"
    );
    assert!(
        stored_anywhere(app, &grace.email),
        "the search finds what is stored"
    );

    let mine = app
        .client
        .get("/v1/users/me/invitations", Some(&grace.token));
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert!(
        mine.body["data"].as_array().unwrap().is_empty(),
        "an unproven address lists nothing"
    );
    mark_verified(app, &grace.email);
    let mine = app
        .client
        .get("/v1/users/me/invitations", Some(&grace.token));
    assert_eq!(mine.body["data"].as_array().unwrap().len(), 1);
    assert!(
        mine.body["data"][0].get("token").is_none(),
        "a list never shows the token"
    );

    let joined = accept(app, &grace, token);
    assert_eq!(joined.status, 201, "{}", joined.text);
    assert_eq!(joined.body["role"], "admin");
    assert_eq!(
        role_of(app, &owner, "acme", &grace.id).as_deref(),
        Some("admin")
    );
    assert!(app
        .client
        .get("/v1/users/me/invitations", Some(&grace.token))
        .body["data"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_problem(&accept(app, &grace, token), 409, "invitation-accepted");
    let listed = app.client.get(
        "/v1/organizations/acme/invitations?state=accepted",
        Some(&owner.token),
    );
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["data"][0]["state"], "accepted");
}

fn each_refusal_has_its_own_answer(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member"]);
    let member = &staff[0];
    let grace = app.sign_up("grace");
    let mallory = app.sign_up("mallory");
    let token = |role: &str| {
        invite(app, &owner, "acme", &grace.email, role)["token"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    let first = token("member");
    assert_problem(
        &accept(app, &mallory, &first),
        403,
        "invitation-for-another-email",
    );
    assert_problem(
        &accept(app, &grace, &format!("rsi_{}", "A".repeat(43))),
        404,
        "not-found",
    );
    assert_field_error(&accept(app, &grace, "nonsense"), "token", "invalid_format");

    // Inviting again replaces the pending invitation: the first token is revoked.
    let second = token("viewer");
    assert_problem(&accept(app, &grace, &first), 409, "invitation-revoked");
    expire_invitation(app, &second);
    assert_problem(&accept(app, &grace, &second), 410, "invitation-expired");
    let expired = app.client.get(
        "/v1/organizations/acme/invitations?state=expired",
        Some(&owner.token),
    );
    assert_eq!(expired.body["data"].as_array().unwrap().len(), 1);
    assert!(
        app.client
            .get("/v1/users/me/invitations", Some(&grace.token))
            .body["data"]
            .as_array()
            .unwrap()
            .is_empty(),
        "expired is not pending"
    );

    // Revoked by the organization.
    let third = invite(app, &owner, "acme", &grace.email, "member");
    let id = third["id"].as_str().unwrap();
    let path = format!("/v1/organizations/acme/invitations/{id}");
    assert_problem(
        &app.client.delete(&path, Some(&member.token)),
        403,
        "forbidden",
    );
    assert_eq!(app.client.delete(&path, Some(&owner.token)).status, 204);
    assert_eq!(
        app.client.delete(&path, Some(&owner.token)).status,
        204,
        "again: nothing to do"
    );
    assert_problem(
        &accept(app, &grace, third["token"].as_str().unwrap()),
        409,
        "invitation-revoked",
    );

    // Already a member.
    let fourth = invite(app, &owner, "acme", &member.email, "admin");
    assert_problem(
        &accept(app, member, fourth["token"].as_str().unwrap()),
        409,
        "already-member",
    );
    assert_eq!(
        role_of(app, &owner, "acme", &member.id).as_deref(),
        Some("member")
    );
    let bad = app.client.post(
        "/v1/organizations/acme/invitations",
        Some(&owner.token),
        &json!({"email": "x@example.test", "role": "member", "expires_in_hours": 721}),
    );
    assert_field_error(&bad, "expires_in_hours", "out_of_range");
    let states = app.client.get(
        "/v1/organizations/acme/invitations?state=bogus",
        Some(&owner.token),
    );
    assert_problem(&states, 400, "bad-request");
}

/// Two acceptances of one invitation at once: one joins, the other is told it was accepted.
fn accepting_one_invitation_twice_at_once_joins_once(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    for round in 0..6 {
        let grace = app.sign_up(&format!("grace{round}"));
        let token = invite(app, &owner, "acme", &grace.email, "member")["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let barrier = Barrier::new(2);
        let answers: Vec<u16> = thread::scope(|s| {
            let go = || {
                barrier.wait();
                accept(app, &grace, &token).status
            };
            let a = s.spawn(go);
            let b = s.spawn(go);
            vec![a.join().unwrap(), b.join().unwrap()]
        });
        let mut sorted = answers.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [201, 409], "round {round}");
    }
    let count = app
        .client
        .get("/v1/organizations/acme", Some(&owner.token))
        .body["member_count"]
        .clone();
    assert_eq!(count, 7);
}

/// An acceptance and a revocation at once: exactly one wins, and the loser is told so; the
/// invitee is a member exactly when the acceptance won.
fn accepting_and_revoking_at_once_has_one_winner(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    for round in 0..6 {
        let grace = app.sign_up(&format!("grace{round}"));
        let made = invite(app, &owner, "acme", &grace.email, "member");
        let token = made["token"].as_str().unwrap().to_owned();
        let revoke_path = format!(
            "/v1/organizations/acme/invitations/{}",
            made["id"].as_str().unwrap()
        );
        let barrier = Barrier::new(2);
        let (accepted, revoked) = thread::scope(|s| {
            let accepting = s.spawn(|| {
                barrier.wait();
                accept(app, &grace, &token).status
            });
            let revoking = s.spawn(|| {
                barrier.wait();
                app.client.delete(&revoke_path, Some(&owner.token)).status
            });
            (accepting.join().unwrap(), revoking.join().unwrap())
        });
        let joined = role_of(app, &owner, "acme", &grace.id).is_some();
        match (accepted, revoked) {
            (201, 409) => assert!(joined, "round {round}: accepted but not a member"),
            (409, 204) => assert!(!joined, "round {round}: revoked but a member"),
            other => panic!("round {round}: accept and revoke answered {other:?}"),
        }
    }
}

/// An invitation holds only while the member who sent it may still hand on its role: an admin
/// removed (or demoted) since cannot come back through an invitation to a second address.
fn an_invitation_stands_only_while_its_maker_may_grant_it(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin", "admin"]);
    let (removed, demoted) = (&staff[0], &staff[1]);
    let alt = app.sign_up("alt");
    let other = app.sign_up("other");
    let from_removed = invite(app, removed, "acme", &alt.email, "admin");
    let from_demoted = invite(app, demoted, "acme", &other.email, "admin");
    let removal = app
        .client
        .delete(&member_path("acme", &removed.id), Some(&owner.token));
    assert_eq!(removal.status, 204, "{}", removal.text);
    let demotion = app.client.patch(
        &member_path("acme", &demoted.id),
        Some(&owner.token),
        &json!({"role": "member"}),
    );
    assert_eq!(demotion.status, 200, "{}", demotion.text);

    for (invitee, made) in [(&alt, &from_removed), (&other, &from_demoted)] {
        let res = accept(app, invitee, made["token"].as_str().unwrap());
        assert_problem(&res, 409, "invitation-revoked");
        assert_eq!(role_of(app, &owner, "acme", &invitee.id), None);
    }
    // The owner's own invitation to the same person still works.
    let from_owner = invite(app, &owner, "acme", &alt.email, "admin");
    let joined = accept(app, &alt, from_owner["token"].as_str().unwrap());
    assert_eq!(joined.status, 201, "{}", joined.text);
}

/// Withdrawing another member's invitation takes what its role grants: an admin cannot revoke
/// an owner's invitation to be an owner, but revokes another admin's invitation to be a member.
fn revoking_another_members_invitation_takes_its_rank(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin", "admin"]);
    let (admin, other_admin) = (&staff[0], &staff[1]);
    let to_own = invite(app, &owner, "acme", "heir@example.test", "owner");
    let to_join = invite(app, other_admin, "acme", "joiner@example.test", "member");
    let path = |made: &serde_json::Value| {
        format!(
            "/v1/organizations/acme/invitations/{}",
            made["id"].as_str().unwrap()
        )
    };
    assert_problem(
        &app.client.delete(&path(&to_own), Some(&admin.token)),
        403,
        "forbidden",
    );
    assert_eq!(
        app.client
            .delete(&path(&to_join), Some(&admin.token))
            .status,
        204
    );
    assert_eq!(
        app.client.delete(&path(&to_own), Some(&owner.token)).status,
        204
    );
}

backend_tests!(
    an_invitee_accepts_and_joins_with_the_role,
    each_refusal_has_its_own_answer,
    accepting_one_invitation_twice_at_once_joins_once,
    accepting_and_revoking_at_once_has_one_winner,
    an_invitation_stands_only_while_its_maker_may_grant_it,
    revoking_another_members_invitation_takes_its_rank,
);
