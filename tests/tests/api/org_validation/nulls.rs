//! `null` in a merge patch clears a field that may be empty; for a field that cannot be empty
//! it is a 422 naming the field, and nothing changes (never a 200 that silently did nothing).

use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::access::{member_path, staffed_org};

fn null_for_a_field_that_cannot_be_null_is_422(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member"]);
    let member = &staff[0];
    let made = app.client.post(
        "/v1/organizations/acme/roles",
        Some(&owner.token),
        &json!({"key": "billing", "name": "Billing", "permissions": ["members:read"]}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    let cases = [
        ("/v1/organizations/acme", "state"),
        ("/v1/organizations/acme", "visibility"),
        ("/v1/organizations/acme", "personal"),
        ("/v1/organizations/acme", "name"),
        ("/v1/organizations/acme/roles/billing", "name"),
        ("/v1/organizations/acme/roles/billing", "permissions"),
    ];
    let membership = member_path("acme", &member.id);
    let cases = cases
        .iter()
        .map(|(path, field)| (path.to_string(), *field))
        .chain([(membership.clone(), "role"), (membership, "permissions")]);
    for (path, field) in cases {
        let res = app
            .client
            .patch(&path, Some(&owner.token), &json!({ field: null }));
        assert_eq!(res.status, 422, "{path} {field}: {}", res.text);
        assert_eq!(res.error_fields(), [field], "{path}");
    }
    let org = app.client.get("/v1/organizations/acme", Some(&owner.token));
    assert_eq!(org.body["state"], "active");
    assert_eq!(org.body["visibility"], "private");
    let membership = app
        .client
        .get(&member_path("acme", &member.id), Some(&owner.token));
    assert_eq!(membership.body["role"], "member");
    // Fields that may be empty are cleared by null.
    let cleared = app.client.patch(
        "/v1/organizations/acme",
        Some(&owner.token),
        &json!({"description": null, "display_name": null}),
    );
    assert_eq!(cleared.status, 200, "{}", cleared.text);
}

backend_tests!(null_for_a_field_that_cannot_be_null_is_422);
