//! The rules for members named at creation.

use roster_tests::{backend_tests, with_admin, TestApp};
use serde_json::json;

use crate::support::organizations::{assert_create_rejected, listed_names};

fn member_errors_name_the_member_at_fault(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    let cases = [
        (
            json!([{"user_id": bob.id, "role": "boss"}]),
            "members[0].role",
            "unknown_role",
        ),
        (
            json!([{"user_id": bob.id, "email": bob.email, "role": "member"}]),
            "members[0]",
            "invalid_value",
        ),
        (json!([{"role": "member"}]), "members[0]", "invalid_value"),
        (
            json!([{"email": "not-an-email", "role": "member"}]),
            "members[0].email",
            "invalid_format",
        ),
        (
            json!([{"email": bob.email, "role": "member"}, {"email": bob.email.to_uppercase(), "role": "admin"}]),
            "members[1]",
            "duplicate",
        ),
        (
            json!([{"user_id": bob.id, "role": "member"}, {"user_id": bob.id, "role": "admin"}]),
            "members[1]",
            "duplicate",
        ),
        (
            json!([{"user_id": alice.id, "role": "member"}]),
            "members[0]",
            "duplicate",
        ),
        (
            json!([{"user_id": bob.id, "role": "member", "note": 1}]),
            "members[0].note",
            "unknown_field",
        ),
    ];
    for (members, field, code) in cases {
        let body = json!({"name": "acme", "members": members});
        assert_create_rejected(app, &alice, body, field, code);
    }
    assert!(listed_names(app, &bob, "").is_empty());
}

/// Limits are a platform admin's to set, at creation too.
#[test]
fn more_members_than_max_members_is_422() {
    with_admin(&[], |app, admin| {
        let bob = app.sign_up("bob");
        let body = json!({"name": "acme", "limits": {"max_members": 1},
                          "members": [{"user_id": bob.id, "role": "member"}]});
        assert_create_rejected(app, admin, body, "members", "limit_exceeded");
    });
}

/// At most 100 members at creation: a bulk import is not one long transaction that holds
/// everyone else up.
fn more_than_a_hundred_members_at_creation_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let members: Vec<serde_json::Value> = (0..101)
        .map(|i| json!({"email": format!("person{i}@example.test"), "role": "member"}))
        .collect();
    let body = json!({"name": "acme", "members": members});
    assert_create_rejected(app, &alice, body, "members", "too_many");
    let hundred: Vec<serde_json::Value> = (0..100)
        .map(|i| json!({"email": format!("person{i}@example.test"), "role": "member"}))
        .collect();
    let made = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "members": hundred}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
}

backend_tests!(
    member_errors_name_the_member_at_fault,
    more_than_a_hundred_members_at_creation_is_422,
);
