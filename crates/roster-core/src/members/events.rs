//! What membership operations record in the audit log.

use roster_store::memberships::MembershipRow;
use serde_json::{json, Map, Value};

use crate::events::{Event, Target};

fn target(membership: &MembershipRow) -> Target {
    Target::Membership {
        organization: membership.organization_id,
        user: membership.user_id,
    }
}

pub fn created(membership: &MembershipRow) -> Event {
    Event::new("membership.created", target(membership)).data(json!({
        "email": membership.email,
        "role": membership.role.as_str(),
        "permissions": membership.permissions,
        "expires_at": membership.expires_at.map(|t| t.0),
    }))
}

/// `membership.updated` with each changed field's `from` and `to`; `None` when nothing changed.
/// `reason` says why when it was not a plain edit (`ownership_transferred`).
pub fn updated(
    before: &MembershipRow,
    after: &MembershipRow,
    reason: Option<&str>,
) -> Option<Event> {
    let mut changes = Map::new();
    if before.role != after.role {
        changes.insert(
            "role".into(),
            json!({"from": before.role.as_str(), "to": after.role.as_str()}),
        );
    }
    if before.permissions != after.permissions {
        changes.insert(
            "permissions".into(),
            json!({"from": before.permissions, "to": after.permissions}),
        );
    }
    if before.expires_at != after.expires_at {
        changes.insert(
            "expires_at".into(),
            json!({"from": before.expires_at.map(|t| t.0), "to": after.expires_at.map(|t| t.0)}),
        );
    }
    if changes.is_empty() {
        return None;
    }
    let mut data = json!({"email": after.email, "changes": Value::Object(changes)});
    if let Some(reason) = reason {
        data["reason"] = json!(reason);
    }
    Some(Event::new("membership.updated", target(after)).data(data))
}

/// `membership.deleted`; `reason` is `removed`, `left` or `expired`.
pub fn deleted(membership: &MembershipRow, reason: &str) -> Event {
    Event::new("membership.deleted", target(membership)).data(json!({
        "email": membership.email,
        "role": membership.role.as_str(),
        "reason": reason,
    }))
}
