//! Changes to one user at the same moment: the last writer wins (as for organizations), and
//! the copies of the user's email and name that memberships keep are never left behind.

use std::sync::Barrier;

use roster_tests::{backend_tests, Client, TestApp};
use serde_json::json;

use crate::support::access::member_path;

/// Eight profile changes at once without `If-Match`: each is applied in turn, none is refused.
fn concurrent_profile_changes_all_apply(app: &TestApp) {
    let user = app.sign_up("busy");
    let barrier = Barrier::new(8);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..8)
            .map(|i| {
                let (base, token, barrier) = (app.base.as_str(), user.token.as_str(), &barrier);
                scope.spawn(move || {
                    barrier.wait();
                    Client::new(base)
                        .patch(
                            "/v1/users/me",
                            Some(token),
                            &json!({"name": format!("name {i}")}),
                        )
                        .status
                })
            })
            .collect();
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    assert_eq!(statuses, vec![200; 8]);
    let me = app.client.get("/v1/users/me", Some(&user.token));
    assert!(me.body["name"].as_str().unwrap().starts_with("name "));
}

/// Members are added to many organizations while the user changes their email again and
/// again: afterwards every membership shows the email the user has now.
fn memberships_added_during_an_email_change_show_the_new_email(app: &TestApp) {
    const ORGS: usize = 60;
    let owner = app.sign_up("owner");
    let names: Vec<String> = (0..ORGS).map(|i| format!("race-{i}")).collect();
    for name in &names {
        app.create_org(&owner, name);
    }
    let user = app.sign_up("mover");
    let barrier = Barrier::new(3);
    std::thread::scope(|scope| {
        for half in names.chunks(ORGS / 2) {
            let (base, owner, user, barrier) = (app.base.as_str(), &owner, &user, &barrier);
            scope.spawn(move || {
                let client = Client::new(base);
                barrier.wait();
                for name in half {
                    let added = client.post(
                        &format!("/v1/organizations/{name}/members"),
                        Some(&owner.token),
                        &json!({"user_id": user.id, "role": "member"}),
                    );
                    assert_eq!(added.status, 201, "{}", added.text);
                }
            });
        }
        let (base, user, barrier) = (app.base.as_str(), &user, &barrier);
        scope.spawn(move || {
            let client = Client::new(base);
            barrier.wait();
            for round in 0..20 {
                let changed = client.patch(
                    "/v1/users/me",
                    Some(&user.token),
                    &json!({"email": format!("mover-{round}-{}", user.email)}),
                );
                assert_eq!(changed.status, 200, "{}", changed.text);
            }
        });
    });
    let now = app.client.get("/v1/users/me", Some(&user.token));
    let email = now.body["email"].as_str().unwrap();
    let stale: Vec<&String> = names
        .iter()
        .filter(|name| {
            let read = app
                .client
                .get(&member_path(name, &user.id), Some(&owner.token));
            assert_eq!(read.status, 200, "{}", read.text);
            read.body["user"]["email"] != email
        })
        .collect();
    assert!(
        stale.is_empty(),
        "{} memberships keep an old email: {stale:?}",
        stale.len()
    );
}

backend_tests!(
    concurrent_profile_changes_all_apply,
    memberships_added_during_an_email_change_show_the_new_email,
);
