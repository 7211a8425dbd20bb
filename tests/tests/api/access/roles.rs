//! Custom roles: made, read, changed and deleted; built-in roles are read-only; nobody makes
//! a role beyond their own permissions; a role in use stays.

use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::access::{add_member, authorize, member_path, staffed_org};

fn custom_roles_are_made_read_changed_and_deleted(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let listed = app
        .client
        .get("/v1/organizations/acme/roles", Some(&owner.token));
    assert_eq!(listed.status, 200, "{}", listed.text);
    let keys: Vec<&str> = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["owner", "admin", "member", "viewer"]);
    assert!(listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["builtin"] == true));

    let made = app.client.post(
        "/v1/organizations/acme/roles",
        Some(&owner.token),
        &json!({"key": "billing-admin", "name": "Billing admin",
                "permissions": ["organization:read", "members:read", "billing:*"]}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.body["builtin"], false);
    assert_eq!(
        made.body["permissions"],
        json!(["organization:read", "members:read", "billing:*"])
    );
    let etag = made.header("etag").unwrap().to_owned();

    let read = app.client.get(
        "/v1/organizations/acme/roles/billing-admin",
        Some(&owner.token),
    );
    assert_eq!(read.body, made.body);
    let changed = app.client.send_with(
        "PATCH",
        "/v1/organizations/acme/roles/billing-admin",
        Some(&owner.token),
        &[("If-Match", &etag)],
        Some(&json!({"name": "Billing", "description": "Invoices", "permissions": ["organization:read", "billing:read"]})),
    );
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["description"], "Invoices");
    let stale = app.client.send_with(
        "DELETE",
        "/v1/organizations/acme/roles/billing-admin",
        Some(&owner.token),
        &[("If-Match", &etag)],
        None,
    );
    assert_problem(&stale, 412, "precondition-failed");

    let listed = app
        .client
        .get("/v1/organizations/acme/roles?limit=3", Some(&owner.token));
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 3);
    let next = app.client.get(
        listed.body["links"]["next"].as_str().unwrap(),
        Some(&owner.token),
    );
    let keys: Vec<&str> = next.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["viewer", "billing-admin"]);

    assert_eq!(
        app.client
            .delete(
                "/v1/organizations/acme/roles/billing-admin",
                Some(&owner.token)
            )
            .status,
        204
    );
    assert_problem(
        &app.client.get(
            "/v1/organizations/acme/roles/billing-admin",
            Some(&owner.token),
        ),
        404,
        "not-found",
    );
}

fn built_in_roles_are_read_only(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let admin = app
        .client
        .get("/v1/organizations/acme/roles/admin", Some(&owner.token));
    assert_eq!(admin.status, 200);
    assert_eq!(admin.body["builtin"], true);
    assert!(!admin.body["permissions"]
        .as_array()
        .unwrap()
        .contains(&json!("organization:delete")));
    assert_problem(
        &app.client.patch(
            "/v1/organizations/acme/roles/admin",
            Some(&owner.token),
            &json!({"name": "Boss"}),
        ),
        409,
        "builtin-role",
    );
    assert_problem(
        &app.client
            .delete("/v1/organizations/acme/roles/member", Some(&owner.token)),
        409,
        "builtin-role",
    );
    let taken = app.client.post(
        "/v1/organizations/acme/roles",
        Some(&owner.token),
        &json!({"key": "viewer", "name": "V", "permissions": []}),
    );
    assert_problem(&taken, 409, "builtin-role");
}

fn role_contents_are_checked(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let make = |body: serde_json::Value| {
        app.client
            .post("/v1/organizations/acme/roles", Some(&owner.token), &body)
    };
    assert_field_error(
        &make(json!({"key": "x", "name": "X", "permissions": ["organization:delete"]})),
        "permissions[0]",
        "owner_only",
    );
    assert_field_error(
        &make(json!({"key": "x", "name": "X", "permissions": ["members:wrte"]})),
        "permissions[0]",
        "unknown_permission",
    );
    assert_field_error(
        &make(json!({"key": "Bad Key", "name": "X", "permissions": []})),
        "key",
        "invalid_format",
    );
    assert_field_error(
        &make(json!({"key": "x", "name": " ", "permissions": []})),
        "name",
        "required",
    );
    assert_eq!(
        make(json!({"key": "x", "name": "X", "permissions": []})).status,
        201
    );
    assert_problem(
        &make(json!({"key": "x", "name": "X again", "permissions": []})),
        409,
        "conflict",
    );
}

/// A custom role grants what it lists, to members and in `authorize`; editing it reaches its
/// holders at once; while held, it cannot be deleted.
fn a_custom_role_grants_what_it_lists(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let made = app.client.post(
        "/v1/organizations/acme/roles",
        Some(&owner.token),
        &json!({"key": "recruiter", "name": "Recruiter",
                "permissions": ["organization:read", "members:read", "invitations:write", "invitations:read", "hiring:*"]}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    let bob = app.sign_up("bob");
    add_member(app, &owner, "acme", &bob, "recruiter");
    let answer = authorize(
        app,
        &bob.token,
        "acme",
        None,
        &[
            "members:read",
            "members:write",
            "hiring:offer",
            "billing:read",
        ],
    );
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.body["results"],
        json!({"members:read": true, "members:write": false, "hiring:offer": true, "billing:read": false})
    );
    assert_eq!(answer.body["allowed"], false);
    assert_eq!(
        app.client
            .get("/v1/organizations/acme/members", Some(&bob.token))
            .status,
        200
    );
    let invite = app.client.post(
        "/v1/organizations/acme/invitations",
        Some(&bob.token),
        &json!({"email": "new@example.test", "role": "viewer"}),
    );
    assert_eq!(invite.status, 201, "{}", invite.text);
    // More than the recruiter holds cannot be handed on.
    let too_much = app.client.post(
        "/v1/organizations/acme/invitations",
        Some(&bob.token),
        &json!({"email": "x@example.test", "role": "admin"}),
    );
    assert_problem(&too_much, 403, "forbidden");

    assert_problem(
        &app.client
            .delete("/v1/organizations/acme/roles/recruiter", Some(&owner.token)),
        409,
        "role-in-use",
    );
    let edited = app.client.patch(
        "/v1/organizations/acme/roles/recruiter",
        Some(&owner.token),
        &json!({"permissions": ["organization:read"]}),
    );
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_problem(
        &app.client
            .get("/v1/organizations/acme/members", Some(&bob.token)),
        403,
        "forbidden",
    );
}

/// Nobody makes or edits a role beyond their own permissions: a custom role with `roles:write`
/// cannot make itself more.
fn roles_never_exceed_their_maker(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let made = app.client.post(
        "/v1/organizations/acme/roles",
        Some(&owner.token),
        &json!({"key": "steward", "name": "Steward", "permissions": ["organization:read", "roles:read", "roles:write"]}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    let bob = app.sign_up("bob");
    add_member(app, &owner, "acme", &bob, "steward");
    let grow = app.client.patch("/v1/organizations/acme/roles/steward", Some(&bob.token), &json!({"permissions": ["organization:read", "roles:read", "roles:write", "members:write"]}));
    assert_problem(&grow, 403, "forbidden");
    let bigger = app.client.post(
        "/v1/organizations/acme/roles",
        Some(&bob.token),
        &json!({"key": "boss", "name": "Boss", "permissions": ["members:write"]}),
    );
    assert_problem(&bigger, 403, "forbidden");
    let smaller = app.client.post(
        "/v1/organizations/acme/roles",
        Some(&bob.token),
        &json!({"key": "reader", "name": "Reader", "permissions": ["organization:read"]}),
    );
    assert_eq!(smaller.status, 201, "{}", smaller.text);
    // An admin-made role above the steward is out of its reach too.
    let admin_role = app.client.post(
        "/v1/organizations/acme/roles",
        Some(&owner.token),
        &json!({"key": "ops", "name": "Ops", "permissions": ["members:write"]}),
    );
    assert_eq!(admin_role.status, 201);
    assert_problem(
        &app.client
            .delete("/v1/organizations/acme/roles/ops", Some(&bob.token)),
        403,
        "forbidden",
    );
    // And a member whose custom role is deleted from under it is impossible: it is in use.
    assert_eq!(
        app.client
            .get(&member_path("acme", &bob.id), Some(&bob.token))
            .body["role"],
        "steward"
    );
}

backend_tests!(
    custom_roles_are_made_read_changed_and_deleted,
    built_in_roles_are_read_only,
    role_contents_are_checked,
    a_custom_role_grants_what_it_lists,
    roles_never_exceed_their_maker,
);
