//! The rules for `custom`, the caller's own JSON: an object, at most 16 KiB, five levels deep.

use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::organizations::{assert_create_rejected, assert_patch_rejected};

fn custom_that_is_not_an_object_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    for bad in [json!([1, 2]), json!("gold"), json!(7)] {
        let body = json!({"name": "acme", "custom": bad});
        assert_create_rejected(app, &alice, body, "custom", "invalid_type");
    }
    app.create_org(&alice, "acme");
    assert_patch_rejected(
        app,
        &alice,
        json!({"custom": [1]}),
        "custom",
        "invalid_type",
    );
}

fn custom_over_16_kib_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    // {"blob":"…"} is 11 bytes around the string.
    let body = json!({"name": "acme", "custom": {"blob": "x".repeat(16 * 1024 - 10)}});
    assert_create_rejected(app, &alice, body, "custom", "too_large");
    let ok = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "custom": {"blob": "x".repeat(16 * 1024 - 11)}}),
    );
    assert_eq!(ok.status, 201, "exactly 16 KiB is fine: {}", ok.text);
    // Growing it past the limit by merging is refused too.
    assert_patch_rejected(
        app,
        &alice,
        json!({"custom": {"more": "y"}}),
        "custom",
        "too_large",
    );
}

fn custom_six_levels_deep_is_422_but_five_are_fine(app: &TestApp) {
    let alice = app.sign_up("alice");
    let six = json!({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}});
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme", "custom": six}),
        "custom",
        "too_deep",
    );
    let arrays = json!({"a": [[[[[1]]]]]});
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme", "custom": arrays}),
        "custom",
        "too_deep",
    );
    let five = json!({"a": {"b": {"c": {"d": {"e": 1}}}}});
    let ok = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "custom": five}),
    );
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(ok.body["custom"], five);
}

/// Numbers at the edges of what JSON clients send (the largest and smallest doubles) are kept
/// and read back as they were, on both databases: schemathesis found the largest double stored
/// on PostgreSQL and every later read of the organization failing.
fn custom_keeps_extreme_numbers(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let custom = json!({"big": 1.7976931348623157e308, "small": -1.7976931348623157e308,
                        "tiny": 5e-324, "precise": 0.1, "int": 9007199254740993_u64});
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"custom": custom}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let read = app.client.get("/v1/organizations/acme", Some(&alice.token));
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.body["custom"], custom);
    let listed = app.client.get("/v1/organizations", Some(&alice.token));
    assert_eq!(listed.status, 200, "{}", listed.text);
}

backend_tests!(
    custom_keeps_extreme_numbers,
    custom_that_is_not_an_object_is_422,
    custom_over_16_kib_is_422,
    custom_six_levels_deep_is_422_but_five_are_fine,
);
