//! PATCH semantics: absent fields stay, `null` clears, and objects merge key by key.

use roster_tests::{backend_tests, TestApp};
use serde_json::{json, Value};

use crate::support::organizations::{etag_of, get_org, timestamp};

fn patch_leaves_absent_fields_unchanged_and_null_clears_them(app: &TestApp) {
    let alice = app.sign_up("alice");
    let created = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "display_name": "Acme", "description": "old",
                "website": "https://acme.test", "billing_email": "b@acme.test",
                "reference": "crm-1"}),
    );
    assert_eq!(created.status, 201);
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"description": null, "website": "https://new.acme.test"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["description"], Value::Null);
    assert_eq!(res.body["website"], "https://new.acme.test");
    assert_eq!(res.body["display_name"], "Acme");
    assert_eq!(res.body["billing_email"], "b@acme.test");
    assert_eq!(res.body["reference"], "crm-1");
    assert_eq!(res.body["created_at"], created.body["created_at"]);
    assert!(timestamp(&res.body["updated_at"]) >= timestamp(&created.body["updated_at"]));
    assert_eq!(res.header("etag"), Some(etag_of(&res.body, 2).as_str()));

    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"display_name": null, "reference": null, "billing_email": null}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body["display_name"], "acme",
        "null resets it to the name"
    );
    assert_eq!(res.body["reference"], Value::Null);
    assert_eq!(res.body["billing_email"], Value::Null);
    assert_eq!(res.body["website"], "https://new.acme.test");

    let fetched = get_org(app, &alice, "acme");
    assert_eq!(fetched.body, res.body, "the patch was stored");
}

fn patch_merges_custom_and_address_key_by_key(app: &TestApp) {
    let alice = app.sign_up("alice");
    let created = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme",
                "custom": {"plan": "gold", "seats": 5, "nested": {"a": 1, "b": 2}},
                "address": {"city": "Bern", "country": "CH"}}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"custom": {"plan": null, "seats": 10, "nested": {"b": null, "c": 3}},
                "address": {"line1": "Main 1"}}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body["custom"],
        json!({"seats": 10, "nested": {"a": 1, "c": 3}})
    );
    assert_eq!(res.body["address"]["line1"], "Main 1");
    assert_eq!(res.body["address"]["city"], "Bern");
    assert_eq!(res.body["address"]["country"], "CH");

    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"custom": null, "address": null}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["custom"], json!({}));
    assert!(res.body["address"]
        .as_object()
        .unwrap()
        .values()
        .all(Value::is_null));
    assert_eq!(get_org(app, &alice, "acme").body, res.body);
}

backend_tests!(
    patch_leaves_absent_fields_unchanged_and_null_clears_them,
    patch_merges_custom_and_address_key_by_key,
);
