//! The document's top-level `webhooks` (OpenAPI 3.1): one entry per message type Roster sends,
//! each with the schema of its body, so that a receiver can generate types for every message.
//! The list is the event catalogue's ([`roster_core::events::catalogue`]), plus the test message.

use roster_core::events::catalogue::{data_schemas, TEST_MESSAGE_TYPE};
use roster_core::webhooks::TestMessage;
use serde_json::{json, Map, Value};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi as Document, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// Adds `webhooks` and the payload schemas it refers to.
pub(crate) fn document_webhook_messages(doc: &mut Document) {
    let catalogue = data_schemas();
    let components = doc.components.get_or_insert_with(Default::default);
    let mut schemas = catalogue.schemas;
    schemas.push((TestMessage::name().into_owned(), TestMessage::schema()));
    for (name, schema) in schemas {
        let schema = if name.starts_with("Change_") {
            describe_change(schema)
        } else {
            schema
        };
        components.schemas.entry(name).or_insert(schema);
    }

    let mut webhooks = Map::new();
    for (event_type, payload) in catalogue.types {
        let data = json!({
            "allOf": [
                {"$ref": "#/components/schemas/Event"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": event_type.as_str()},
                        "data": {"$ref": format!("#/components/schemas/{payload}")},
                    },
                },
            ],
            "description": "The event, as `GET /v1/events` shows it.",
        });
        webhooks.insert(
            event_type.as_str().to_owned(),
            message(event_type.as_str(), event_type.summary(), data),
        );
    }
    let test_data = json!({"$ref": format!("#/components/schemas/{}", TestMessage::name())});
    webhooks.insert(
        TEST_MESSAGE_TYPE.to_owned(),
        message(
            TEST_MESSAGE_TYPE,
            "Sent by `POST /v1/webhooks/{id}/test` to check a receiver; not an event.",
            test_data,
        ),
    );
    doc.extensions
        .get_or_insert_with(Default::default)
        .insert("webhooks".to_owned(), Value::Object(webhooks));
}

/// `Change<T>`'s fields as people read them (utoipa drops the doc comments of generic fields).
fn describe_change(schema: RefOr<Schema>) -> RefOr<Schema> {
    let Ok(mut json) = serde_json::to_value(&schema) else {
        return schema;
    };
    json["properties"]["from"]["description"] = json!("The value before the change.");
    json["properties"]["to"]["description"] = json!("The value after it.");
    serde_json::from_value(json).unwrap_or(schema)
}

/// The path item of one message type: a signed POST to the endpoint's URL.
fn message(kind: &str, summary: &str, data: Value) -> Value {
    json!({
        "post": {
            "tags": ["webhooks"],
            "operationId": format!("message_{}", kind.replace('.', "_")),
            "summary": summary,
            "description": format!(
                "`{kind}`: POSTed to each enabled endpoint whose `event_types` and \
                 `organization_id` match, signed as Standard Webhooks says: verify \
                 `webhook-signature` over `webhook-id.webhook-timestamp.body` with the endpoint's \
                 secret (any Standard Webhooks library does), and use `webhook-id` to drop \
                 repeats: delivery is at least once, in no promised order (`data.sequence` orders)."
            ),
            "parameters": [
                header("webhook-id", "The delivery's id: the same on every retry of this message."),
                header("webhook-timestamp", "Unix seconds of this attempt."),
                header(
                    "webhook-signature",
                    "Space-separated `v1,<base64 HMAC-SHA256>`, one per secret in force \
                     (two for 24 h after a rotation).",
                ),
            ],
            "requestBody": {
                "required": true,
                "content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["type", "timestamp", "data"],
                    "properties": {
                        "type": {"type": "string", "const": kind},
                        "timestamp": {
                            "type": "string",
                            "format": "date-time",
                            "description": "When it happened.",
                        },
                        "data": data,
                    },
                }}},
            },
            "responses": {
                "2XX": {"description": "Received. Any other answer, or none within 15 s, is a \
                    failed attempt, retried on the schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, \
                    10 h)."},
            },
        }
    })
}

fn header(name: &str, description: &str) -> Value {
    json!({
        "name": name,
        "in": "header",
        "required": true,
        "description": description,
        "schema": {"type": "string"},
    })
}
