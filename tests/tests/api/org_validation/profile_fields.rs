//! The rules for the profile fields: addresses and URLs, lengths, the postal address,
//! visibility, limits and state.

use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::organizations::{assert_create_rejected, assert_patch_rejected};

fn billing_email_must_be_an_address(app: &TestApp) {
    let alice = app.sign_up("alice");
    for bad in ["billing", "billing@acme", "@acme.test", "a b@acme.test"] {
        assert_create_rejected(
            app,
            &alice,
            json!({"name": "acme", "billing_email": bad}),
            "billing_email",
            "invalid_format",
        );
    }
}

fn website_must_be_an_http_url(app: &TestApp) {
    let alice = app.sign_up("alice");
    for bad in [
        "ftp://acme.test",
        "acme.test",
        "https://",
        "javascript:alert(1)",
    ] {
        assert_create_rejected(
            app,
            &alice,
            json!({"name": "acme", "website": bad}),
            "website",
            "invalid_format",
        );
    }
}

fn logo_url_must_be_an_http_url(app: &TestApp) {
    let alice = app.sign_up("alice");
    for bad in [
        "data:image/png;base64,AAAA",
        "//acme.test/logo.png",
        "file:///etc/passwd",
    ] {
        assert_create_rejected(
            app,
            &alice,
            json!({"name": "acme", "logo_url": bad}),
            "logo_url",
            "invalid_format",
        );
    }
}

fn display_name_over_200_characters_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "display_name": "é".repeat(201)});
    assert_create_rejected(app, &alice, body, "display_name", "too_long");
    let ok = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "display_name": "é".repeat(200)}),
    );
    assert_eq!(ok.status, 201, "200 characters are fine: {}", ok.text);
    assert_patch_rejected(
        app,
        &alice,
        json!({"display_name": "  "}),
        "display_name",
        "required",
    );
}

fn description_over_2000_characters_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "description": "d".repeat(2001)});
    assert_create_rejected(app, &alice, body, "description", "too_long");
    app.create_org(&alice, "acme");
    let body = json!({"description": "d".repeat(2001)});
    assert_patch_rejected(app, &alice, body, "description", "too_long");
}

fn reference_over_255_characters_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "reference": "r".repeat(256)});
    assert_create_rejected(app, &alice, body, "reference", "too_long");
    let ok = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "reference": "r".repeat(255)}),
    );
    assert_eq!(ok.status, 201, "255 characters are fine: {}", ok.text);
}

fn address_country_must_be_alpha_2(app: &TestApp) {
    let alice = app.sign_up("alice");
    for bad in ["Switzerland", "CHE", "C", "1A"] {
        let body = json!({"name": "acme", "address": {"country": bad}});
        assert_create_rejected(app, &alice, body, "address.country", "invalid_format");
    }
    app.create_org(&alice, "acme");
    let body = json!({"address": {"country": "XYZ"}});
    assert_patch_rejected(app, &alice, body, "address.country", "invalid_format");
}

fn latitude_above_90_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "address": {"latitude": 91}});
    assert_create_rejected(app, &alice, body, "address.latitude", "out_of_range");
    let body = json!({"name": "acme", "address": {"longitude": -180.5}});
    assert_create_rejected(app, &alice, body, "address.longitude", "out_of_range");
}

fn bogus_visibility_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "visibility": "secret"});
    assert_create_rejected(app, &alice, body, "visibility", "invalid_value");
    app.create_org(&alice, "acme");
    assert_patch_rejected(
        app,
        &alice,
        json!({"visibility": "Public"}),
        "visibility",
        "invalid_value",
    );
}

fn max_members_of_zero_is_422(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({"name": "acme", "limits": {"max_members": 0}});
    assert_create_rejected(app, &alice, body, "limits.max_members", "out_of_range");
    app.create_org(&alice, "acme");
    let body = json!({"limits": {"max_api_keys": -1}});
    assert_patch_rejected(app, &alice, body, "limits.max_api_keys", "out_of_range");
}

fn bogus_state_is_422_and_changes_nothing(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    for bad in [json!("deleted"), json!("ACTIVE"), json!(null)] {
        assert_patch_rejected(app, &alice, json!({"state": bad}), "state", "invalid_value");
    }
}

backend_tests!(
    billing_email_must_be_an_address,
    website_must_be_an_http_url,
    logo_url_must_be_an_http_url,
    display_name_over_200_characters_is_422,
    description_over_2000_characters_is_422,
    reference_over_255_characters_is_422,
    address_country_must_be_alpha_2,
    latitude_above_90_is_422,
    bogus_visibility_is_422,
    max_members_of_zero_is_422,
    bogus_state_is_422_and_changes_nothing,
);
