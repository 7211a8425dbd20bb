//! What API key operations record in the audit log (never the key).

use roster_store::api_keys::ApiKeyRow;
use serde_json::json;

use crate::events::{Event, Target};

fn target(key: &ApiKeyRow) -> Target {
    Target::ApiKey {
        organization: key.organization_id,
        id: key.id,
    }
}

pub fn created(key: &ApiKeyRow) -> Event {
    Event::new("api_key.created", target(key)).data(json!({
        "name": key.name,
        "prefix": key.prefix,
        "role": key.role,
        "permissions": key.permissions,
        "user_id": key.user_id,
        "expires_at": key.expires_at.map(|t| t.0),
    }))
}

/// `api_key.revoked`; `reason` is `revoked` (by someone) or why its maker's standing ended it
/// (`member_left`, `member_removed`, `member_expired`, `user_disabled`).
pub fn revoked(key: &ApiKeyRow, reason: &str) -> Event {
    Event::new("api_key.revoked", target(key)).data(json!({
        "name": key.name,
        "prefix": key.prefix,
        "user_id": key.user_id,
        "reason": reason,
    }))
}
