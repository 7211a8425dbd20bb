//! What organization operations record in the audit log.

use roster_store::OrganizationRow;
use serde_json::{json, Map, Value};

use crate::events::{Event, Target};

pub fn created(org: &OrganizationRow) -> Event {
    Event::new("organization.created", Target::Organization(org.id)).data(json!({
        "name": org.name,
        "display_name": org.display_name,
        "reference": org.reference,
        "visibility": org.visibility.as_str(),
        "personal": org.personal,
    }))
}

/// The events of a change from `before` to `after`: `organization.updated` with each changed
/// field's `from` and `to`, and besides it `organization.renamed` and `organization.closed`
/// when those happened.
pub fn changed(before: &OrganizationRow, after: &OrganizationRow) -> Vec<Event> {
    let id = Target::Organization(after.id);
    let mut events = Vec::new();
    let changes = field_changes(before, after);
    if !changes.is_empty() {
        events.push(
            Event::new("organization.updated", id.clone())
                .data(json!({"changes": Value::Object(changes)})),
        );
    }
    if before.name != after.name {
        events.push(
            Event::new("organization.renamed", id)
                .data(json!({"from": before.name, "to": after.name})),
        );
    }
    if before.state != after.state && after.closed_at.is_some() && before.closed_at.is_none() {
        events.push(closed(after));
    }
    events
}

pub fn closed(org: &OrganizationRow) -> Event {
    Event::new("organization.closed", Target::Organization(org.id)).data(json!({"name": org.name}))
}

pub fn deleted(org: &OrganizationRow) -> Event {
    Event::new("organization.deleted", Target::Organization(org.id)).data(json!({
        "name": org.name,
        "display_name": org.display_name,
        "member_count": org.member_count,
    }))
}

/// `{"field": {"from": …, "to": …}}` for each field a client can change that did change.
fn field_changes(before: &OrganizationRow, after: &OrganizationRow) -> Map<String, Value> {
    let fields: [(&str, Value, Value); 13] = [
        ("name", json!(before.name), json!(after.name)),
        (
            "display_name",
            json!(before.display_name),
            json!(after.display_name),
        ),
        (
            "billing_email",
            json!(before.billing_email),
            json!(after.billing_email),
        ),
        (
            "description",
            json!(before.description),
            json!(after.description),
        ),
        ("website", json!(before.website), json!(after.website)),
        ("logo_url", json!(before.logo_url), json!(after.logo_url)),
        ("address", before.address.0.clone(), after.address.0.clone()),
        ("reference", json!(before.reference), json!(after.reference)),
        ("custom", before.custom.0.clone(), after.custom.0.clone()),
        (
            "state",
            json!(before.state.as_str()),
            json!(after.state.as_str()),
        ),
        ("personal", json!(before.personal), json!(after.personal)),
        (
            "visibility",
            json!(before.visibility.as_str()),
            json!(after.visibility.as_str()),
        ),
        ("limits", json!(before.limits()), json!(after.limits())),
    ];
    fields
        .into_iter()
        .filter(|(_, from, to)| from != to)
        .map(|(field, from, to)| (field.to_owned(), json!({"from": from, "to": to})))
        .collect()
}
