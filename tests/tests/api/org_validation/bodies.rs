//! Whole request bodies: unknown and mistyped fields, every error at once, nothing applied
//! from a rejected patch, and bodies that are not JSON, not JSON objects or too large.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::organizations::{
    assert_create_rejected, assert_patch_rejected, get_org, listed_names,
};

fn an_unknown_field_is_422_naming_it(app: &TestApp) {
    let alice = app.sign_up("alice");
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme", "colour": "red"}),
        "colour",
        "unknown_field",
    );
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme", "address": {"town": "Bern"}}),
        "address.town",
        "unknown_field",
    );
    // A new organization always starts active; state is not a create field.
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme", "state": "inactive"}),
        "state",
        "unknown_field",
    );
    app.create_org(&alice, "acme");
    assert_patch_rejected(
        app,
        &alice,
        json!({"colour": "red"}),
        "colour",
        "unknown_field",
    );
}

fn an_unknown_key_in_a_patched_address_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let body = json!({"address": {"town": "Bern"}});
    assert_patch_rejected(app, &alice, body, "address.town", "unknown_field");
}

fn an_unknown_key_in_patched_limits_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let body = json!({"limits": {"max_seats": 5}});
    assert_patch_rejected(app, &alice, body, "limits.max_seats", "unknown_field");
}

fn a_mistyped_address_part_is_422_naming_the_part(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "address": {"latitude": "north"}});
    assert_create_rejected(app, &alice, body, "address.latitude", "invalid_type");
    app.create_org(&alice, "acme");
    let body = json!({"address": {"latitude": "north"}});
    assert_patch_rejected(app, &alice, body, "address.latitude", "invalid_type");
}

fn a_rejected_patch_applies_none_of_its_valid_fields(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    assert_patch_rejected(
        app,
        &alice,
        json!({"description": "fine", "name": "acme-2", "website": "gopher://acme.test"}),
        "website",
        "invalid_format",
    );
    assert_eq!(get_org(app, &alice, "acme-2").status, 404);
}

fn every_invalid_field_is_reported_at_once(app: &TestApp) {
    let alice = app.sign_up("alice");
    let res = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "Bad Name", "billing_email": "nope", "visibility": "secret",
                "address": {"country": "Swiss", "latitude": 100}}),
    );
    assert_problem(&res, 422, "validation");
    let mut fields = res.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        [
            "address.country",
            "address.latitude",
            "billing_email",
            "name",
            "visibility"
        ]
    );
    assert!(listed_names(app, &alice, "").is_empty());
}

fn malformed_json_is_400_wrong_content_type_415_and_too_large_413(app: &TestApp) {
    let alice = app.sign_up("alice");
    let res = app.client.send_raw(
        "POST",
        "/v1/organizations",
        Some(&alice.token),
        "application/json",
        b"{\"name\": ",
    );
    assert_problem(&res, 400, "bad-request");
    let res = app.client.send_raw(
        "POST",
        "/v1/organizations",
        Some(&alice.token),
        "text/plain",
        b"{\"name\": \"acme\"}",
    );
    assert_problem(&res, 415, "unsupported-media-type");
    let res = app.client.send_raw(
        "POST",
        "/v1/organizations",
        Some(&alice.token),
        "application/json",
        b"[\"acme\"]",
    );
    assert_problem(&res, 422, "validation");
    let huge = json!({"name": "acme", "description": "x".repeat(1024 * 1024)});
    let res = app
        .client
        .post("/v1/organizations", Some(&alice.token), &huge);
    assert_problem(&res, 413, "payload-too-large");
    assert!(listed_names(app, &alice, "").is_empty());
}

/// PostgreSQL refuses NUL in text and jsonb; a client sending one gets a 4xx, never a 500.
fn nul_bytes_are_client_errors_never_500(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    assert_problem(
        &app.client.get("/v1/organizations/%00", Some(&alice.token)),
        404,
        "not-found",
    );
    assert_problem(
        &app.client
            .get("/v1/organizations/ac%00me", Some(&alice.token)),
        404,
        "not-found",
    );
    assert_problem(
        &app.client
            .get("/v1/organizations?q=a%00", Some(&alice.token)),
        400,
        "bad-request",
    );
    assert_problem(
        &app.client
            .get("/v1/organizations?reference=%00", Some(&alice.token)),
        400,
        "bad-request",
    );
    assert_patch_rejected(
        app,
        &alice,
        json!({"custom": {"note": "a\0b"}}),
        "custom",
        "invalid_format",
    );
    assert_patch_rejected(
        app,
        &alice,
        json!({"custom": {"a\0": 1}}),
        "custom",
        "invalid_format",
    );
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "globex", "display_name": "Glo\0bex"}),
        "display_name",
        "invalid_format",
    );
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "globex", "reference": "\0"}),
        "reference",
        "invalid_format",
    );
}

backend_tests!(
    nul_bytes_are_client_errors_never_500,
    an_unknown_field_is_422_naming_it,
    an_unknown_key_in_a_patched_address_is_422,
    an_unknown_key_in_patched_limits_is_422,
    a_mistyped_address_part_is_422_naming_the_part,
    a_rejected_patch_applies_none_of_its_valid_fields,
    every_invalid_field_is_reported_at_once,
    malformed_json_is_400_wrong_content_type_415_and_too_large_413,
);
