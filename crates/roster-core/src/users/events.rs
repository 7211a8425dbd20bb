//! What user operations record in the audit log.

use roster_store::users::UserRow;
use serde_json::{json, Map, Value};

use crate::events::{Event, Target};

pub fn created(user: &UserRow) -> Event {
    Event::new("user.created", Target::User(user.id)).data(json!({
        "email": user.email,
        "name": user.name,
        "is_admin": user.is_admin,
    }))
}

pub fn password_changed(user: &UserRow) -> Event {
    Event::new("user.password_changed", Target::User(user.id))
}

/// `user.updated` for a changed email or name (with `from` and `to`), and `user.disabled`,
/// `user.enabled`, `user.admin_granted`, `user.admin_revoked` for what those changed.
pub fn changed(before: &UserRow, after: &UserRow) -> Vec<Event> {
    let target = Target::User(after.id);
    let mut events = Vec::new();
    let mut changes = Map::new();
    if before.email != after.email {
        changes.insert(
            "email".into(),
            json!({"from": before.email, "to": after.email}),
        );
    }
    if before.name != after.name {
        changes.insert(
            "name".into(),
            json!({"from": before.name, "to": after.name}),
        );
    }
    if !changes.is_empty() {
        events.push(
            Event::new("user.updated", target.clone())
                .data(json!({"changes": Value::Object(changes)})),
        );
    }
    if before.state != after.state {
        let kind = if after.is_active() {
            "user.enabled"
        } else {
            "user.disabled"
        };
        events.push(Event::new(kind, target.clone()));
    }
    if before.is_admin != after.is_admin {
        let kind = if after.is_admin {
            "user.admin_granted"
        } else {
            "user.admin_revoked"
        };
        events.push(Event::new(kind, target.clone()));
    }
    events
}
