//! The event catalogue: every event the log records and every message an endpoint receives has
//! its type in the document's `webhooks`, with `data` as that entry's schema says.

use std::collections::BTreeSet;
use std::time::Duration;

use roster_tests::receiver::Receiver;
use roster_tests::{with_admin, TestApp, TestUser};
use serde_json::{json, Value};

use super::{create, create_for, LOOPBACK};
use crate::support::events::all_events;

/// Requests that together record most types of event.
fn make_history(app: &TestApp, admin: &TestUser) {
    let send = |method: &str, path: &str, body: Value| -> Value {
        let res = match method {
            "POST" => app.client.post(path, Some(&admin.token), &body),
            "PATCH" => app.client.patch(path, Some(&admin.token), &body),
            _ => app.client.delete(path, Some(&admin.token)),
        };
        assert!(res.status < 300, "{method} {path}: {}", res.text);
        res.body
    };
    app.create_org(admin, "acme");
    send(
        "PATCH",
        "/v1/organizations/acme",
        json!({"display_name": "Acme, Inc.", "name": "acme-inc", "limits": {"max_members": 50}}),
    );
    let other = app.sign_up("member");
    send(
        "POST",
        "/v1/organizations/acme-inc/members",
        json!({"user_id": other.id, "role": "member"}),
    );
    send(
        "PATCH",
        &format!("/v1/organizations/acme-inc/members/{}", other.id),
        json!({"role": "admin", "expires_at": "2999-01-01T00:00:00Z"}),
    );
    let invitation = send(
        "POST",
        "/v1/organizations/acme-inc/invitations",
        json!({"email": "someone@example.com", "role": "member"}),
    );
    send(
        "DELETE",
        &format!(
            "/v1/organizations/acme-inc/invitations/{}",
            invitation["id"].as_str().unwrap()
        ),
        json!(null),
    );
    let key = send(
        "POST",
        "/v1/organizations/acme-inc/api-keys",
        json!({"name": "ci", "role": "member"}),
    );
    send(
        "DELETE",
        &format!(
            "/v1/organizations/acme-inc/api-keys/{}",
            key["id"].as_str().unwrap()
        ),
        json!(null),
    );
    send(
        "POST",
        "/v1/organizations/acme-inc/roles",
        json!({"key": "auditor", "name": "Auditor", "permissions": ["members:read"]}),
    );
    send(
        "PATCH",
        "/v1/organizations/acme-inc/roles/auditor",
        json!({"description": "Reads", "permissions": ["members:read", "events:read"]}),
    );
    send(
        "DELETE",
        "/v1/organizations/acme-inc/roles/auditor",
        json!(null),
    );
    send(
        "DELETE",
        &format!("/v1/organizations/acme-inc/members/{}", other.id),
        json!(null),
    );
    send(
        "PATCH",
        &format!("/v1/users/{}", other.id),
        json!({"name": "Renamed", "state": "disabled", "is_admin": true}),
    );
    let hook = create(app, admin, json!({"url": "http://127.0.0.1:9/none"}));
    let hook_path = format!("/v1/webhooks/{}", hook["id"].as_str().unwrap());
    send("PATCH", &hook_path, json!({"enabled": false}));
    send("POST", &format!("{hook_path}/rotate-secret"), json!({}));
    send("DELETE", &hook_path, json!(null));
    send(
        "PATCH",
        "/v1/organizations/acme-inc",
        json!({"state": "closed"}),
    );
    send(
        "DELETE",
        "/v1/organizations/acme-inc?force=true&confirm=acme-inc",
        json!(null),
    );
}

#[test]
fn every_event_and_message_is_in_the_catalogue_with_its_documented_data() {
    with_admin(LOOPBACK, |app, admin| {
        let receiver = Receiver::start();
        create_for(app, admin, &receiver.url);
        make_history(app, admin);
        let doc = app.client.get("/openapi.json", None).body;
        let webhooks = doc["webhooks"].as_object().expect("a webhooks section");

        let events = all_events(app, admin, "/v1/events");
        let mut seen = BTreeSet::new();
        for event in &events {
            let kind = event["type"].as_str().unwrap();
            let entry = webhooks
                .get(kind)
                .unwrap_or_else(|| panic!("{kind} is not in the document's webhooks"));
            let body = &entry["post"]["requestBody"]["content"]["application/json"]["schema"];
            let message = json!({"type": kind, "timestamp": event["created_at"], "data": event});
            if let Err(why) = conforms(&doc, body, &message) {
                panic!("{kind}: {why}\n{event:#}");
            }
            seen.insert(kind.to_owned());
        }
        assert!(
            seen.len() >= 25,
            "the history covers most of the catalogue: {seen:?}"
        );

        let received = receiver.wait_for(Duration::from_secs(20), |got| {
            got.iter()
                .any(|m| m.json()["type"] == "organization.deleted")
        });
        for message in &received {
            let body = message.json();
            let kind = body["type"].as_str().unwrap();
            let schema =
                &webhooks[kind]["post"]["requestBody"]["content"]["application/json"]["schema"];
            if let Err(why) = conforms(&doc, schema, &body) {
                panic!("message {kind}: {why}\n{body:#}");
            }
        }
    });
}

#[test]
fn an_endpoint_cannot_ask_for_a_type_that_does_not_exist() {
    with_admin(&[], |app, admin| {
        for patterns in [json!(["membership.exploded"]), json!(["squad.*"])] {
            let res = app.client.post(
                "/v1/webhooks",
                Some(&admin.token),
                &json!({"url": "https://93.184.215.14/", "event_types": patterns}),
            );
            assert_eq!(res.status, 422, "{}", res.text);
            assert_eq!(res.body["errors"][0]["field"], "event_types[0]");
            assert_eq!(res.body["errors"][0]["code"], "unknown_event_type");
        }
        let made = create(
            app,
            admin,
            json!({"url": "https://93.184.215.14/", "event_types": ["user.*", "invitation.expired"]}),
        );
        assert_eq!(made["event_types"], json!(["user.*", "invitation.expired"]));
    });
}

/// Whether `value` is what `schema` describes: the subset of JSON Schema the document uses
/// (`$ref`, `allOf`, `oneOf`, `const`, `enum`, `type`, `properties`, `required`, `items`).
/// An object may hold only the properties its schema names.
fn conforms(doc: &Value, schema: &Value, value: &Value) -> Result<(), String> {
    conforms_as(doc, schema, value, true)
}

/// `closed`: whether properties the schema does not name are refused (not for one part of an
/// `allOf`, which describes only some of them).
fn conforms_as(doc: &Value, schema: &Value, value: &Value, closed: bool) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return conforms(doc, &doc["components"]["schemas"][name], value);
    }
    if let Some(all) = schema["allOf"].as_array() {
        for part in all {
            conforms_as(doc, part, value, false)?;
        }
    }
    if let Some(any) = schema["oneOf"].as_array() {
        if !any.iter().any(|part| conforms(doc, part, value).is_ok()) {
            return Err(format!("{value} is none of {}", schema["oneOf"]));
        }
    }
    if let Some(expected) = schema.get("const") {
        if expected != value {
            return Err(format!("{value} is not {expected}"));
        }
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            return Err(format!("{value} is not one of the enum"));
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() && !types.iter().any(|t| has_type(value, t)) {
        return Err(format!("{value} is not {types:?}"));
    }
    if let (Some(properties), Some(object)) = (schema["properties"].as_object(), value.as_object())
    {
        let open = !closed || schema.get("additionalProperties").is_some();
        for (key, field) in object {
            match properties.get(key) {
                Some(property) => {
                    conforms(doc, property, field).map_err(|e| format!("{key}: {e}"))?
                }
                None if !open => return Err(format!("{key} is not a documented property")),
                None => {}
            }
        }
        for key in schema["required"].as_array().into_iter().flatten() {
            if !object.contains_key(key.as_str().unwrap()) {
                return Err(format!("required {key} is missing"));
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for item in array {
            conforms(doc, items, item)?;
        }
    }
    Ok(())
}

fn has_type(value: &Value, kind: &str) -> bool {
    match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => true,
    }
}
