//! What membership operations record in the audit log.

use chrono::{DateTime, Utc};
use roster_store::memberships::MembershipRow;
use serde::{Deserialize, Serialize};

use crate::events::{Change, Event, Target};

/// `membership.created`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MembershipCreated {
    /// The member's email.
    pub email: String,
    /// The member's role (a built-in one or a custom role's key).
    pub role: String,
    /// Permissions granted beside the role's.
    pub permissions: Vec<String>,
    /// When the membership ends, if it does.
    pub expires_at: Option<DateTime<Utc>>,
}

/// `membership.updated`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MembershipUpdated {
    /// The member's email.
    pub email: String,
    /// The fields that changed.
    pub changes: MembershipChanges,
    /// Why, when it was not a plain edit: `ownership_transferred`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, required = false))]
    pub reason: Option<String>,
}

/// The changed fields of a membership; an unchanged field is absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MembershipChanges {
    /// The member's role (a built-in one or a custom role's key).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>, required = false))]
    pub role: Option<Change<String>>,
    /// Permissions held beside the role.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Vec<String>>, required = false))]
    pub permissions: Option<Change<Vec<String>>>,
    /// RFC 3339 times.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Option<String>>, required = false))]
    pub expires_at: Option<Change<Option<DateTime<Utc>>>>,
}

/// `membership.deleted`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MembershipDeleted {
    /// The member's email.
    pub email: String,
    /// The member's role (a built-in one or a custom role's key).
    pub role: String,
    /// `removed`, `left` or `expired`.
    pub reason: String,
}

fn target(membership: &MembershipRow) -> Target {
    Target::Membership {
        organization: membership.organization_id,
        user: membership.user_id,
    }
}

pub fn created(membership: &MembershipRow) -> Event {
    Event::of(
        target(membership),
        MembershipCreated {
            email: membership.email.clone(),
            role: membership.role.as_str().to_owned(),
            permissions: membership.permissions.clone(),
            expires_at: membership.expires_at.map(|t| t.0),
        },
    )
}

/// `membership.updated` with each changed field's `from` and `to`; `None` when nothing changed.
/// `reason` says why when it was not a plain edit (`ownership_transferred`).
pub fn updated(
    before: &MembershipRow,
    after: &MembershipRow,
    reason: Option<&str>,
) -> Option<Event> {
    let changes = MembershipChanges {
        role: Change::of(
            before.role.as_str().to_owned(),
            after.role.as_str().to_owned(),
        ),
        permissions: Change::of(before.permissions.clone(), after.permissions.clone()),
        expires_at: Change::of(
            before.expires_at.map(|t| t.0),
            after.expires_at.map(|t| t.0),
        ),
    };
    if changes == MembershipChanges::default() {
        return None;
    }
    Some(Event::of(
        target(after),
        MembershipUpdated {
            email: after.email.clone(),
            changes,
            reason: reason.map(str::to_owned),
        },
    ))
}

/// `membership.deleted`; `reason` is `removed`, `left` or `expired`.
pub fn deleted(membership: &MembershipRow, reason: &str) -> Event {
    Event::of(
        target(membership),
        MembershipDeleted {
            email: membership.email.clone(),
            role: membership.role.as_str().to_owned(),
            reason: reason.to_owned(),
        },
    )
}
