//! The rules for an organization's name (its URL slug).

use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::organizations::{assert_create_rejected, assert_patch_rejected};

fn name_with_uppercase_letters_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "Acme"}),
        "name",
        "invalid_format",
    );
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme_inc"}),
        "name",
        "invalid_format",
    );
    app.create_org(&alice, "acme");
    assert_patch_rejected(
        app,
        &alice,
        json!({"name": "ACME"}),
        "name",
        "invalid_format",
    );
}

fn name_starting_or_ending_with_a_hyphen_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "-acme"}),
        "name",
        "invalid_format",
    );
    assert_create_rejected(
        app,
        &alice,
        json!({"name": "acme-"}),
        "name",
        "invalid_format",
    );
}

fn name_of_64_characters_is_422_but_63_are_fine(app: &TestApp) {
    let alice = app.sign_up("alice");
    let long = "a".repeat(64);
    assert_create_rejected(app, &alice, json!({"name": long}), "name", "invalid_length");
    assert_create_rejected(app, &alice, json!({"name": ""}), "name", "invalid_length");
    app.create_org(&alice, &"a".repeat(63));
}

fn name_shaped_like_a_uuid_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let id = uuid::Uuid::now_v7();
    assert_create_rejected(
        app,
        &alice,
        json!({"name": id.to_string()}),
        "name",
        "invalid_format",
    );
    assert_create_rejected(
        app,
        &alice,
        json!({"name": id.simple().to_string()}),
        "name",
        "invalid_format",
    );
}

fn reserved_names_are_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    for reserved in ["admin", "new", "me", "api", "v1"] {
        assert_create_rejected(app, &alice, json!({"name": reserved}), "name", "reserved");
    }
}

fn a_missing_or_null_name_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    assert_create_rejected(
        app,
        &alice,
        json!({"display_name": "Acme"}),
        "name",
        "required",
    );
    app.create_org(&alice, "acme");
    assert_patch_rejected(app, &alice, json!({"name": null}), "name", "required");
}

backend_tests!(
    name_with_uppercase_letters_is_422,
    name_starting_or_ending_with_a_hyphen_is_422,
    name_of_64_characters_is_422_but_63_are_fine,
    name_shaped_like_a_uuid_is_422,
    reserved_names_are_422,
    a_missing_or_null_name_is_422,
);
