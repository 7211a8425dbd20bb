//! What role operations record in the audit log.

use roster_store::roles::RoleRow;
use serde_json::json;

use crate::events::{Event, Target};

fn target(role: &RoleRow) -> Target {
    Target::Role {
        organization: role.organization_id,
        key: role.key.clone(),
    }
}

pub fn created(role: &RoleRow) -> Event {
    Event::new("role.created", target(role)).data(json!({
        "name": role.name,
        "permissions": role.permissions,
    }))
}

pub fn updated(before: &RoleRow, after: &RoleRow) -> Option<Event> {
    let mut changes = serde_json::Map::new();
    if before.name != after.name {
        changes.insert(
            "name".into(),
            json!({"from": before.name, "to": after.name}),
        );
    }
    if before.description != after.description {
        changes.insert(
            "description".into(),
            json!({"from": before.description, "to": after.description}),
        );
    }
    if before.permissions != after.permissions {
        changes.insert(
            "permissions".into(),
            json!({"from": before.permissions, "to": after.permissions}),
        );
    }
    (!changes.is_empty()).then(|| {
        Event::new("role.updated", target(after))
            .data(json!({"changes": serde_json::Value::Object(changes)}))
    })
}

pub fn deleted(role: &RoleRow) -> Event {
    Event::new("role.deleted", target(role)).data(json!({"name": role.name}))
}
