//! No tenant sees another's data: a member (or an admin key) of one organization reads,
//! changes and lists nothing of another, through any id, name or cursor.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::access::{invite, member_path, org_key, staffed_org};

fn nothing_of_another_organization_is_reachable(app: &TestApp) {
    let (alice, _) = staffed_org(app, "alpha", &[]);
    let (bob, bob_staff) = staffed_org(app, "beta", &["member"]);
    let beta_member = &bob_staff[0];
    let beta = app
        .client
        .get("/v1/organizations/beta", Some(&bob.token))
        .body;
    let beta_id = beta["id"].as_str().unwrap().to_owned();
    let beta_invitation = invite(app, &bob, "beta", "someone@example.test", "viewer");
    let (beta_key_id, _) = org_key(app, &bob, "beta", "viewer", &[]);
    app.client.post(
        "/v1/organizations/beta/roles",
        Some(&bob.token),
        &json!({"key": "secret-role", "name": "S", "permissions": []}),
    );
    let (_, alpha_key) = org_key(app, &alice, "alpha", "admin", &[]);

    for credential in [alice.token.as_str(), alpha_key.as_str()] {
        for org in ["beta", beta_id.as_str()] {
            for path in [
                format!("/v1/organizations/{org}"),
                format!("/v1/organizations/{org}/members"),
                member_path(org, &beta_member.id),
                format!("/v1/organizations/{org}/roles"),
                format!("/v1/organizations/{org}/invitations"),
                format!("/v1/organizations/{org}/api-keys"),
                format!("/v1/organizations/{org}/events"),
                format!("/v1/organizations/{org}/usage"),
            ] {
                assert_problem(&app.client.get(&path, Some(credential)), 404, "not-found");
            }
            let writes = [
                app.client.patch(
                    &format!("/v1/organizations/{org}"),
                    Some(credential),
                    &json!({"description": "x"}),
                ),
                app.client.post(
                    &format!("/v1/organizations/{org}/members"),
                    Some(credential),
                    &json!({"user_id": alice.id, "role": "owner"}),
                ),
                app.client.post(
                    &format!("/v1/organizations/{org}/authorize"),
                    Some(credential),
                    &json!({"permissions": ["members:read"]}),
                ),
                app.client
                    .delete(&member_path(org, &beta_member.id), Some(credential)),
            ];
            for res in &writes {
                assert_problem(res, 404, "not-found");
            }
        }
        // Beta's ids through alpha's paths name nothing in alpha.
        for path in [
            member_path("alpha", &beta_member.id),
            "/v1/organizations/alpha/roles/secret-role".to_owned(),
            format!("{}/permissions", member_path("alpha", &beta_member.id)),
        ] {
            assert_problem(&app.client.get(&path, Some(credential)), 404, "not-found");
        }
        for path in [
            format!(
                "/v1/organizations/alpha/invitations/{}",
                beta_invitation["id"].as_str().unwrap()
            ),
            format!("/v1/organizations/alpha/api-keys/{beta_key_id}"),
            member_path("alpha", &beta_member.id),
        ] {
            assert_problem(
                &app.client.delete(&path, Some(credential)),
                404,
                "not-found",
            );
        }
    }
    // Beta's key still works and beta's invitation is still pending: nothing was touched.
    let invitations = app.client.get(
        "/v1/organizations/beta/invitations?state=pending",
        Some(&bob.token),
    );
    assert_eq!(invitations.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.client
            .get("/v1/organizations/beta/api-keys", Some(&bob.token))
            .body["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Alpha's lists hold nothing of beta, and beta's cursors open nothing.
    let mine = app
        .client
        .get("/v1/users/me/organizations", Some(&alice.token));
    assert_eq!(mine.body["data"].as_array().unwrap().len(), 1);
    let members = app
        .client
        .get("/v1/organizations/alpha/members", Some(&alice.token));
    assert!(!members.text.contains(&beta_member.id));
    let beta_page = app
        .client
        .get("/v1/organizations/beta/members?limit=1", Some(&bob.token));
    let beta_cursor = beta_page.body["meta"]["next_cursor"].as_str().unwrap();
    assert_problem(
        &app.client.get(
            &format!("/v1/organizations/beta/members?after={beta_cursor}"),
            Some(&alice.token),
        ),
        404,
        "not-found",
    );
    assert_problem(
        &app.client.get(
            &format!("/v1/organizations/alpha/members?after={beta_cursor}"),
            Some(&alice.token),
        ),
        400,
        "bad-request",
    );
    let events = app
        .client
        .get("/v1/organizations/alpha/events", Some(&alice.token));
    assert!(
        !events.text.contains(&beta_id),
        "alpha's audit log holds nothing of beta"
    );
}

/// A public organization shows itself to any signed-in visitor, but not its usage (how many keys
/// and invitations it has: that takes members:read); and only an owner marks an organization personal or not (a personal
/// organization keeps its owner for good).
fn visitors_and_admins_stop_where_the_owner_begins(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin", "viewer", "member"]);
    let (admin, viewer, member) = (&staff[0], &staff[1], &staff[2]);
    let public = app.client.patch(
        "/v1/organizations/acme",
        Some(&owner.token),
        &json!({"visibility": "public"}),
    );
    assert_eq!(public.status, 200, "{}", public.text);
    let visitor = app.sign_up("visitor");
    assert_eq!(
        app.client
            .get("/v1/organizations/acme", Some(&visitor.token))
            .status,
        200
    );
    // Usage needs members:read, as the member list does: a viewer does not see it either.
    for outsider in [&visitor, viewer] {
        assert_problem(
            &app.client
                .get("/v1/organizations/acme/usage", Some(&outsider.token)),
            403,
            "forbidden",
        );
    }
    assert_eq!(
        app.client
            .get("/v1/organizations/acme/usage", Some(&member.token))
            .status,
        200
    );

    let by_admin = app.client.patch(
        "/v1/organizations/acme",
        Some(&admin.token),
        &json!({"personal": true}),
    );
    assert_problem(&by_admin, 403, "forbidden");
    let by_owner = app.client.patch(
        "/v1/organizations/acme",
        Some(&owner.token),
        &json!({"personal": true}),
    );
    assert_eq!(by_owner.status, 200, "{}", by_owner.text);
    assert_eq!(by_owner.body["personal"], true);
}

backend_tests!(
    nothing_of_another_organization_is_reachable,
    visitors_and_admins_stop_where_the_owner_begins,
);
