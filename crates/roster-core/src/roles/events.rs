//! What role operations record in the audit log.

use roster_store::roles::RoleRow;
use serde::{Deserialize, Serialize};

use crate::events::{Change, Event, Target};

/// `role.created`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleCreated {
    /// The role's name.
    pub name: String,
    /// The permissions it grants.
    pub permissions: Vec<String>,
}

/// `role.updated`: the fields that changed, each with its `from` and `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleUpdated {
    /// The fields that changed.
    pub changes: RoleChanges,
}

/// The changed fields of a role; an unchanged field is absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleChanges {
    /// The role's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>, required = false))]
    pub name: Option<Change<String>>,
    /// What it is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Option<String>>, required = false))]
    pub description: Option<Change<Option<String>>>,
    /// The permissions it grants.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Vec<String>>, required = false))]
    pub permissions: Option<Change<Vec<String>>>,
}

/// `role.deleted`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleDeleted {
    /// The role's name.
    pub name: String,
}

fn target(role: &RoleRow) -> Target {
    Target::Role {
        organization: role.organization_id,
        key: role.key.clone(),
    }
}

pub fn created(role: &RoleRow) -> Event {
    Event::of(
        target(role),
        RoleCreated {
            name: role.name.clone(),
            permissions: role.permissions.clone(),
        },
    )
}

pub fn updated(before: &RoleRow, after: &RoleRow) -> Option<Event> {
    let changes = RoleChanges {
        name: Change::of(before.name.clone(), after.name.clone()),
        description: Change::of(before.description.clone(), after.description.clone()),
        permissions: Change::of(before.permissions.clone(), after.permissions.clone()),
    };
    (changes != RoleChanges::default()).then(|| Event::of(target(after), RoleUpdated { changes }))
}

pub fn deleted(role: &RoleRow) -> Event {
    Event::of(
        target(role),
        RoleDeleted {
            name: role.name.clone(),
        },
    )
}
