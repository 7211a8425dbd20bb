//! The owner invariant: an open organization keeps an active owner on every path, under
//! concurrency too; only owners make or unmake owners; ownership can be handed over.

use std::sync::Barrier;
use std::thread;

use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, with_admin, Res, TestApp, TestUser};
use serde_json::json;

use crate::support::access::{add_member, member_path, role_of, staffed_org};

fn only_owners_make_or_unmake_owners(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin", "member"]);
    let (admin, member) = (&staff[0], &staff[1]);
    let promote = |by: &TestUser, who: &TestUser| {
        app.client.patch(
            &member_path("acme", &who.id),
            Some(&by.token),
            &json!({"role": "owner"}),
        )
    };
    assert_problem(&promote(admin, member), 403, "forbidden");
    assert_problem(&promote(admin, admin), 403, "forbidden");
    let other = app.sign_up("other");
    let res = app.client.post(
        "/v1/organizations/acme/members",
        Some(&admin.token),
        &json!({"user_id": other.id, "role": "owner"}),
    );
    assert_problem(&res, 403, "forbidden");
    assert_eq!(promote(&owner, admin).status, 200);
    // Now two owners: either may step down, and the other owner stays.
    let down = app.client.patch(
        &member_path("acme", &owner.id),
        Some(&owner.token),
        &json!({"role": "admin"}),
    );
    assert_eq!(down.status, 200, "{}", down.text);
    assert_eq!(
        role_of(app, admin, "acme", &owner.id).as_deref(),
        Some("admin")
    );
    assert_problem(
        &app.client
            .delete(&member_path("acme", &admin.id), Some(&admin.token)),
        409,
        "last-owner",
    );
}

/// A disabled owner does not count: the active one cannot leave the organization to them.
#[test]
fn a_disabled_owner_does_not_count() {
    with_admin(&[], |app, admin| {
        let (owner, staff) = staffed_org(app, "acme", &["owner"]);
        let disabled = &staff[0];
        let res = app.client.patch(
            &format!("/v1/users/{}", disabled.id),
            Some(&admin.token),
            &json!({"state": "disabled"}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        let leave = app
            .client
            .delete(&member_path("acme", &owner.id), Some(&owner.token));
        assert_problem(&leave, 409, "last-owner");
        let demote = app.client.patch(
            &member_path("acme", &owner.id),
            Some(&owner.token),
            &json!({"role": "admin"}),
        );
        assert_problem(&demote, 409, "last-owner");
    });
}

fn transferring_ownership(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "admin"]);
    let (member, admin) = (&staff[0], &staff[1]);
    let transfer = |by: &TestUser, body: serde_json::Value| {
        app.client.post(
            "/v1/organizations/acme/transfer-ownership",
            Some(&by.token),
            &body,
        )
    };
    assert_problem(
        &transfer(admin, json!({"user_id": member.id})),
        403,
        "forbidden",
    );
    assert_field_error(
        &transfer(&owner, json!({"user_id": uuid::Uuid::now_v7()})),
        "user_id",
        "not_a_member",
    );
    assert_field_error(
        &transfer(&owner, json!({"user_id": owner.id})),
        "user_id",
        "self",
    );
    let res = transfer(&owner, json!({"user_id": member.id}));
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["new_owner"]["role"], "owner");
    assert_eq!(res.body["new_owner"]["user"]["id"], member.id.as_str());
    assert_eq!(res.body["previous_owner"]["role"], "admin");
    assert_eq!(
        role_of(app, member, "acme", &owner.id).as_deref(),
        Some("admin")
    );
    // Keeping ownership: both own it then.
    let res = transfer(member, json!({"user_id": admin.id, "keep_owner": true}));
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["previous_owner"]["role"], "owner");
    assert_eq!(
        role_of(app, member, "acme", &admin.id).as_deref(),
        Some("owner")
    );
}

/// Two owners demoting or removing each other at the same moment: one wins; the other is
/// refused (judged again after the winner's change: no longer an owner, or no longer a member,
/// or, had both changes applied, the last owner), and the organization keeps one owner. Run many
/// times, so an unguarded window would show.
fn owners_racing_to_remove_each_other_never_leave_none(app: &TestApp) {
    for round in 0..12 {
        let name = format!("race-{round}");
        let (first, _) = staffed_org(app, &name, &[]);
        let second = app.sign_up("second");
        add_member(app, &first, &name, &second, "owner");
        let barrier = Barrier::new(2);
        let act = |me: &TestUser, other: &TestUser| -> Res {
            barrier.wait();
            if round % 2 == 0 {
                app.client.patch(
                    &member_path(&name, &other.id),
                    Some(&me.token),
                    &json!({"role": "member"}),
                )
            } else {
                app.client
                    .delete(&member_path(&name, &other.id), Some(&me.token))
            }
        };
        let (a, b) = thread::scope(|s| {
            let a = s.spawn(|| act(&first, &second));
            let b = s.spawn(|| act(&second, &first));
            (a.join().unwrap(), b.join().unwrap())
        });
        let won = |res: &Res| res.status == 200 || res.status == 204;
        assert!(won(&a) != won(&b), "round {round}: {} / {}", a.text, b.text);
        let loser = if won(&a) { &b } else { &a };
        assert!(
            [403, 404, 409].contains(&loser.status),
            "round {round}: {}",
            loser.text
        );
        let owners = app.client.get(
            &format!("/v1/organizations/{name}/members?role=owner"),
            Some(&first.token),
        );
        let owners = if owners.status == 200 {
            owners
        } else {
            app.client.get(
                &format!("/v1/organizations/{name}/members?role=owner"),
                Some(&second.token),
            )
        };
        assert_eq!(
            owners.body["data"].as_array().unwrap().len(),
            1,
            "round {round}"
        );
    }
}

backend_tests!(
    only_owners_make_or_unmake_owners,
    transferring_ownership,
    owners_racing_to_remove_each_other_never_leave_none,
);
