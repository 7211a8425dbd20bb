//! A delivery's message: the body `{"type", "timestamp", "data"}` (the event as the audit log
//! shows it) and the Standard Webhooks headers.

use roster_store::events::EventRow;
use roster_store::webhooks::DeliveryRow;
use roster_webhooks::{Secret, Signer};
use serde_json::json;

use crate::events::view::Event;

/// The body of `delivery`'s message; `event` is its event (none for a test message).
pub(crate) fn body(delivery: &DeliveryRow, event: Option<EventRow>) -> Vec<u8> {
    let (timestamp, data) = match event {
        Some(event) => (event.created_at.0, json!(Event::from(event))),
        None => (
            delivery.created_at.0,
            delivery
                .payload
                .as_ref()
                .map(|p| p.0.clone())
                .unwrap_or_default(),
        ),
    };
    let message = json!({
        "type": delivery.event_type,
        "timestamp": timestamp,
        "data": data,
    });
    message.to_string().into_bytes()
}

/// The headers for one attempt at `timestamp` (unix seconds), signed with every secret in force.
pub(crate) fn headers(
    delivery: &DeliveryRow,
    timestamp: i64,
    body: &[u8],
    secrets: &[Secret],
) -> Vec<(&'static str, String)> {
    let id = delivery.id.to_string();
    let signature = Signer::new(secrets).header(&id, timestamp, body);
    vec![
        ("content-type", "application/json".to_owned()),
        ("webhook-id", id),
        ("webhook-timestamp", timestamp.to_string()),
        ("webhook-signature", signature),
    ]
}
