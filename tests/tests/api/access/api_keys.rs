//! API keys: shown once and kept as a hash, accepted as a bearer token or `X-Api-Key`, never
//! above the member who made them, stopped at once by revocation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use roster_tests::problem::{assert_problem, assert_unauthorized};
use roster_tests::{backend_tests, with_admin, TestApp};
use serde_json::json;

use crate::support::access::{member_path, org_key, personal_key, staffed_org};
use crate::support::stored::{expire_api_key, stored_anywhere};

fn an_organization_key_is_shown_once_and_works_as_a_bearer_or_x_api_key(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let made = app.client.post(
        "/v1/organizations/acme/api-keys",
        Some(&owner.token),
        &json!({"name": "CI", "role": "member", "permissions": ["deploys:write"]}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    let key = made.body["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("rst_") && key.len() == 47);
    assert_eq!(made.body["prefix"], &key[..12]);
    assert_eq!(made.body["created_by"], owner.id.as_str());
    assert!(
        !stored_anywhere(app, &key),
        "the key is kept as its hash only"
    );

    let by_bearer = app.client.get("/v1/organizations/acme", Some(&key));
    assert_eq!(by_bearer.status, 200, "{}", by_bearer.text);
    let by_header = app.client.send_with(
        "GET",
        "/v1/organizations/acme/members",
        None,
        &[("X-Api-Key", &key)],
        None,
    );
    assert_eq!(by_header.status, 200, "{}", by_header.text);
    assert_problem(
        &app.client.patch(
            "/v1/organizations/acme",
            Some(&key),
            &json!({"description": "x"}),
        ),
        403,
        "forbidden",
    );

    let listed = app
        .client
        .get("/v1/organizations/acme/api-keys", Some(&owner.token));
    let entry = &listed.body["data"][0];
    assert!(entry.get("key").is_none(), "lists never show the secret");
    assert_eq!(entry["prefix"], &key[..12]);
    assert!(entry["last_used_at"].is_string(), "use is recorded");
    let first_use = entry["last_used_at"].clone();
    app.client.get("/v1/organizations/acme", Some(&key));
    let again = app
        .client
        .get("/v1/organizations/acme/api-keys", Some(&owner.token));
    assert_eq!(
        again.body["data"][0]["last_used_at"], first_use,
        "at most once a minute"
    );

    let revoke = app.client.delete(
        &format!(
            "/v1/organizations/acme/api-keys/{}",
            made.body["id"].as_str().unwrap()
        ),
        Some(&owner.token),
    );
    assert_eq!(revoke.status, 204);
    assert_unauthorized(&app.client.get("/v1/organizations/acme", Some(&key)));
    assert!(app
        .client
        .get("/v1/organizations/acme/api-keys", Some(&owner.token))
        .body["data"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_unauthorized(&app.client.get(
        "/v1/organizations/acme",
        Some(&format!("rst_{}", "x".repeat(43))),
    ));
    assert_unauthorized(&app.client.get("/v1/organizations/acme", Some("rst_short")));
}

/// An organization key acts in its organization only, never account-wide, and never makes
/// keys.
fn an_organization_key_stays_in_its_organization(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    app.create_org(&owner, "other");
    let (_, key) = org_key(app, &owner, "acme", "admin", &[]);
    assert_problem(
        &app.client.get("/v1/organizations/other", Some(&key)),
        404,
        "not-found",
    );
    let listed = app.client.get("/v1/organizations", Some(&key));
    let names: Vec<&str> = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acme"]);
    assert_problem(
        &app.client
            .post("/v1/organizations", Some(&key), &json!({"name": "mine"})),
        403,
        "forbidden",
    );
    let minted = app.client.post(
        "/v1/organizations/acme/api-keys",
        Some(&key),
        &json!({"name": "x", "role": "viewer"}),
    );
    assert_problem(&minted, 403, "forbidden");
    assert_problem(
        &app.client
            .post("/v1/users/me/api-keys", Some(&key), &json!({"name": "x"})),
        403,
        "forbidden",
    );
    assert_problem(
        &app.client
            .patch("/v1/users/me", Some(&key), &json!({"name": "x"})),
        403,
        "forbidden",
    );
}

/// A key never does more than its maker: demoted, the maker's keys shrink with them; gone,
/// their keys stop.
fn a_key_never_outgrows_its_maker(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin"]);
    let admin = &staff[0];
    let (_, key) = org_key(app, admin, "acme", "admin", &[]);
    let too_much = app.client.post(
        "/v1/organizations/acme/api-keys",
        Some(&admin.token),
        &json!({"name": "x", "role": "owner"}),
    );
    assert_problem(&too_much, 403, "forbidden");
    assert_eq!(
        app.client
            .patch(
                "/v1/organizations/acme",
                Some(&key),
                &json!({"description": "by key"})
            )
            .status,
        200
    );
    app.client.patch(
        &member_path("acme", &admin.id),
        Some(&owner.token),
        &json!({"role": "viewer"}),
    );
    assert_problem(
        &app.client.patch(
            "/v1/organizations/acme",
            Some(&key),
            &json!({"description": "again"}),
        ),
        403,
        "forbidden",
    );
    assert_eq!(
        app.client.get("/v1/organizations/acme", Some(&key)).status,
        200
    );
    app.client
        .delete(&member_path("acme", &admin.id), Some(&owner.token));
    assert_unauthorized(&app.client.get("/v1/organizations/acme", Some(&key)));

    let (id, expiring) = org_key(app, &owner, "acme", "viewer", &[]);
    assert_eq!(
        app.client
            .get("/v1/organizations/acme", Some(&expiring))
            .status,
        200
    );
    expire_api_key(app, &id);
    assert_unauthorized(&app.client.get("/v1/organizations/acme", Some(&expiring)));
}

fn a_personal_key_acts_as_its_user(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member"]);
    let member = &staff[0];
    let (id, key) = personal_key(app, member);
    assert_eq!(
        app.client
            .get("/v1/organizations/acme/members", Some(&key))
            .status,
        200
    );
    assert_problem(
        &app.client.patch(
            "/v1/organizations/acme",
            Some(&key),
            &json!({"description": "x"}),
        ),
        403,
        "forbidden",
    );
    assert_eq!(
        app.client.get("/v1/users/me", Some(&key)).body["id"],
        member.id.as_str()
    );
    assert_problem(
        &app.client.post(
            "/v1/users/me/api-keys",
            Some(&key),
            &json!({"name": "another"}),
        ),
        403,
        "forbidden",
    );
    let mine = app.client.get("/v1/users/me/api-keys", Some(&key));
    assert_eq!(mine.body["data"][0]["id"], id.as_str());
    assert_eq!(
        mine.body["data"][0]["organization_id"],
        serde_json::Value::Null
    );
    // Another user's key is not theirs to revoke.
    assert_problem(
        &app.client
            .delete(&format!("/v1/users/me/api-keys/{id}"), Some(&owner.token)),
        404,
        "not-found",
    );
    assert_eq!(
        app.client
            .delete(&format!("/v1/users/me/api-keys/{id}"), Some(&member.token))
            .status,
        204
    );
    assert_unauthorized(&app.client.get("/v1/users/me", Some(&key)));
}

/// A disabled user's keys, personal and organizational, stop at once.
#[test]
fn a_disabled_users_keys_stop() {
    with_admin(&[], |app, admin| {
        let (owner, _) = staffed_org(app, "acme", &[]);
        let (_, org) = org_key(app, &owner, "acme", "member", &[]);
        let (_, personal) = personal_key(app, &owner);
        let other = app.sign_up("other");
        app.client.post(
            "/v1/organizations/acme/members",
            Some(&owner.token),
            &json!({"user_id": other.id, "role": "owner"}),
        );
        let res = app.client.patch(
            &format!("/v1/users/{}", owner.id),
            Some(&admin.token),
            &json!({"state": "disabled"}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        for key in [&org, &personal] {
            assert_unauthorized(&app.client.get("/v1/organizations/acme", Some(key)));
        }
    });
}

/// Revoking a key while requests use it: every request that starts after the revocation
/// answered is refused.
fn revoking_a_key_in_use_stops_it_at_once(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let (id, key) = org_key(app, &owner, "acme", "viewer", &[]);
    let revoked = AtomicBool::new(false);
    let stop = AtomicBool::new(false);
    let late_successes = thread::scope(|s| {
        let users: Vec<_> = (0..3)
            .map(|_| {
                s.spawn(|| {
                    let mut late = 0;
                    while !stop.load(Ordering::SeqCst) {
                        let after_revocation = revoked.load(Ordering::SeqCst);
                        let res = app.client.get("/v1/organizations/acme", Some(&key));
                        if after_revocation && res.status == 200 {
                            late += 1;
                        }
                    }
                    late
                })
            })
            .collect();
        thread::sleep(std::time::Duration::from_millis(150));
        let res = app.client.delete(
            &format!("/v1/organizations/acme/api-keys/{id}"),
            Some(&owner.token),
        );
        assert_eq!(res.status, 204);
        revoked.store(true, Ordering::SeqCst);
        thread::sleep(std::time::Duration::from_millis(150));
        stop.store(true, Ordering::SeqCst);
        users.into_iter().map(|u| u.join().unwrap()).sum::<i32>()
    });
    assert_eq!(late_successes, 0);
}

/// `Idempotency-Key` belongs to the credential: two keys of one user using the same key do
/// not see each other's responses.
fn idempotency_keys_belong_to_each_api_key(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let (_, first) = org_key(app, &owner, "acme", "admin", &[]);
    let (_, second) = org_key(app, &owner, "acme", "admin", &[]);
    let body = json!({"email": "grace@example.test", "role": "viewer"});
    let send = |key: &str| {
        app.client.send_with(
            "POST",
            "/v1/organizations/acme/invitations",
            Some(key),
            &[("Idempotency-Key", "one")],
            Some(&body),
        )
    };
    let a = send(&first);
    let replay = send(&first);
    let b = send(&second);
    assert_eq!(a.status, 201, "{}", a.text);
    assert_eq!(
        replay.body, a.body,
        "a retry with the same key gets the same answer"
    );
    assert_eq!(b.status, 201);
    assert_ne!(
        b.body["id"], a.body["id"],
        "another key's request ran on its own"
    );
}

/// Revoking someone else's key takes what the key grants: an admin (or an admin's key) cannot
/// switch off an owner's owner-role key, but revokes their own and lesser ones; the owner
/// revokes any.
fn revoking_another_members_key_takes_its_rank(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin"]);
    let admin = &staff[0];
    let (owner_key_id, _) = org_key(app, &owner, "acme", "owner", &[]);
    let (viewer_key_id, _) = org_key(app, &owner, "acme", "viewer", &[]);
    let (admin_key_id, admin_key) = org_key(app, admin, "acme", "admin", &[]);
    let path = |id: &str| format!("/v1/organizations/acme/api-keys/{id}");

    for credential in [admin.token.as_str(), admin_key.as_str()] {
        assert_problem(
            &app.client.delete(&path(&owner_key_id), Some(credential)),
            403,
            "forbidden",
        );
    }
    assert_eq!(
        app.client
            .delete(&path(&viewer_key_id), Some(&admin.token))
            .status,
        204
    );
    assert_eq!(
        app.client
            .delete(&path(&owner_key_id), Some(&owner.token))
            .status,
        204
    );
    assert_eq!(
        app.client
            .delete(&path(&admin_key_id), Some(&admin.token))
            .status,
        204
    );
}

backend_tests!(
    an_organization_key_is_shown_once_and_works_as_a_bearer_or_x_api_key,
    an_organization_key_stays_in_its_organization,
    a_key_never_outgrows_its_maker,
    a_personal_key_acts_as_its_user,
    revoking_a_key_in_use_stops_it_at_once,
    idempotency_keys_belong_to_each_api_key,
    revoking_another_members_key_takes_its_rank,
);
