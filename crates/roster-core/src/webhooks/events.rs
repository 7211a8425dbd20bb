//! The events webhook endpoints' changes record (never a secret).

use roster_store::webhooks::EndpointRow;
use serde_json::json;

use crate::events::{Event, Target};

pub(crate) fn endpoint_event(kind: &'static str, endpoint: &EndpointRow) -> Event {
    Event::new(kind, Target::Webhook(endpoint.id)).data(json!({
        "url": endpoint.url,
        "event_types": endpoint.event_types,
        "organization_id": endpoint.organization_id,
        "enabled": endpoint.enabled,
    }))
}
