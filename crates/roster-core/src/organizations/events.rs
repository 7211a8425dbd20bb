//! What organization operations record in the audit log.

use roster_domain::Limits;
use roster_store::OrganizationRow;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::events::{Change, Event, Target};

/// `organization.created`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationCreated {
    /// The organization's name (its slug).
    pub name: String,
    /// The name people read.
    pub display_name: String,
    /// The application's own identifier for it, if it set one.
    pub reference: Option<String>,
    /// `private` or `public`.
    pub visibility: String,
    /// Whether it is a user's personal organization.
    pub personal: bool,
}

/// `organization.updated`: the fields that changed, each with its `from` and `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationUpdated {
    /// The fields that changed.
    pub changes: OrganizationChanges,
}

/// The changed fields of an organization; an unchanged field is absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationChanges {
    /// The organization's name (its slug).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>, required = false))]
    pub name: Option<Change<String>>,
    /// The name people read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>, required = false))]
    pub display_name: Option<Change<String>>,
    /// Where invoices go.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Option<String>>, required = false))]
    pub billing_email: Option<Change<Option<String>>>,
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Option<String>>, required = false))]
    pub description: Option<Change<Option<String>>>,
    /// Its website.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Option<String>>, required = false))]
    pub website: Option<Change<Option<String>>>,
    /// Its logo.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Option<String>>, required = false))]
    pub logo_url: Option<Change<Option<String>>>,
    /// The postal address, as the organization shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = ObjectChange, required = false))]
    pub address: Option<Change<Value>>,
    /// The application's own identifier for it, if it set one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Option<String>>, required = false))]
    pub reference: Option<Change<Option<String>>>,
    /// The application's own fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = ObjectChange, required = false))]
    pub custom: Option<Change<Value>>,
    /// `active` or `closed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>, required = false))]
    pub state: Option<Change<String>>,
    /// Whether it is a user's personal organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<bool>, required = false))]
    pub personal: Option<Change<bool>>,
    /// `private` or `public`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>, required = false))]
    pub visibility: Option<Change<String>>,
    /// Its limits on members, API keys and invitations.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Limits>, required = false))]
    pub limits: Option<Change<Limits>>,
}

impl OrganizationChanges {
    fn between(before: &OrganizationRow, after: &OrganizationRow) -> OrganizationChanges {
        OrganizationChanges {
            name: Change::of(before.name.clone(), after.name.clone()),
            display_name: Change::of(before.display_name.clone(), after.display_name.clone()),
            billing_email: Change::of(before.billing_email.clone(), after.billing_email.clone()),
            description: Change::of(before.description.clone(), after.description.clone()),
            website: Change::of(before.website.clone(), after.website.clone()),
            logo_url: Change::of(before.logo_url.clone(), after.logo_url.clone()),
            address: Change::of(before.address.0.clone(), after.address.0.clone()),
            reference: Change::of(before.reference.clone(), after.reference.clone()),
            custom: Change::of(before.custom.0.clone(), after.custom.0.clone()),
            state: Change::of(
                before.state.as_str().to_owned(),
                after.state.as_str().to_owned(),
            ),
            personal: Change::of(before.personal, after.personal),
            visibility: Change::of(
                before.visibility.as_str().to_owned(),
                after.visibility.as_str().to_owned(),
            ),
            limits: Change::of(before.limits(), after.limits()),
        }
    }

    fn is_empty(&self) -> bool {
        self == &OrganizationChanges::default()
    }
}

/// How the document shows a change of an object field (`address`, `custom`): `Change<Value>`
/// would show its values as `{}`, a schema some OpenAPI tools cannot read back.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // a schema only
pub struct ObjectChange {
    /// The value before the change.
    #[schema(value_type = std::collections::HashMap<String, Value>, additional_properties = true)]
    from: Value,
    /// The value after it.
    #[schema(value_type = std::collections::HashMap<String, Value>, additional_properties = true)]
    to: Value,
}

/// `organization.renamed`: the old and new `name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationRenamed {
    /// The name before.
    pub from: String,
    /// The name after.
    pub to: String,
}

/// `organization.closed`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationClosed {
    /// The organization's name (its slug).
    pub name: String,
}

/// `organization.deleted`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationDeleted {
    /// The organization's name (its slug).
    pub name: String,
    /// The name people read.
    pub display_name: String,
    /// How many members it had when it was deleted.
    #[cfg_attr(feature = "openapi", schema(example = 12))]
    pub member_count: i64,
}

pub fn created(org: &OrganizationRow) -> Event {
    Event::of(
        Target::Organization(org.id),
        OrganizationCreated {
            name: org.name.clone(),
            display_name: org.display_name.clone(),
            reference: org.reference.clone(),
            visibility: org.visibility.as_str().to_owned(),
            personal: org.personal,
        },
    )
}

/// The events of a change from `before` to `after`: `organization.updated` with each changed
/// field's `from` and `to`, and besides it `organization.renamed` and `organization.closed`
/// when those happened.
pub fn changed(before: &OrganizationRow, after: &OrganizationRow) -> Vec<Event> {
    let id = Target::Organization(after.id);
    let mut events = Vec::new();
    let changes = OrganizationChanges::between(before, after);
    if !changes.is_empty() {
        events.push(Event::of(id.clone(), OrganizationUpdated { changes }));
    }
    if before.name != after.name {
        events.push(Event::of(
            id,
            OrganizationRenamed {
                from: before.name.clone(),
                to: after.name.clone(),
            },
        ));
    }
    if before.state != after.state && after.closed_at.is_some() && before.closed_at.is_none() {
        events.push(closed(after));
    }
    events
}

pub fn closed(org: &OrganizationRow) -> Event {
    Event::of(
        Target::Organization(org.id),
        OrganizationClosed {
            name: org.name.clone(),
        },
    )
}

pub fn deleted(org: &OrganizationRow) -> Event {
    Event::of(
        Target::Organization(org.id),
        OrganizationDeleted {
            name: org.name.clone(),
            display_name: org.display_name.clone(),
            member_count: org.member_count,
        },
    )
}
