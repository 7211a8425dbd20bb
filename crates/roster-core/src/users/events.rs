//! What user operations record in the audit log.

use roster_store::users::UserRow;
use roster_store::OrganizationRow;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::events::{Change, Event, Target};

/// `user.created`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserCreated {
    /// The user's email.
    pub email: String,
    /// The user's name.
    pub name: Option<String>,
    /// Whether the user is a platform admin.
    pub is_admin: bool,
}

/// `user.updated`: the fields that changed, each with its `from` and `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserUpdated {
    /// The fields that changed.
    pub changes: UserChanges,
}

/// The changed fields of a user; an unchanged field is absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserChanges {
    /// The user's email.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>, required = false))]
    pub email: Option<Change<String>>,
    /// The user's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Change<Option<String>>, required = false))]
    pub name: Option<Change<Option<String>>>,
}

/// `user.password_changed` (never the password).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPasswordChanged {
    /// How: `changed` (by the user, with the current password), `reset` (with a mailed
    /// token), `set_by_admin` (a platform admin) or `set_by_operator` (the command line).
    pub via: String,
}

/// `user.email_verified`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserEmailVerified {
    /// The address proven.
    pub email: String,
}

/// `user.deleted`: nothing but the target's id remains of the user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserDeleted {}

/// `user.enabled`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserEnabled {}

/// `user.disabled`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserDisabled {
    /// The organizations the user was the only owner of: none owns them now.
    pub organizations_without_owner: Vec<OwnerlessOrganization>,
}

/// An organization left without an owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerlessOrganization {
    /// The organization's id.
    pub id: Uuid,
    /// The user's name.
    pub name: String,
}

/// `user.admin_granted`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserAdminGranted {}

/// `user.admin_revoked`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserAdminRevoked {}

pub fn created(user: &UserRow) -> Event {
    Event::of(
        Target::User(user.id),
        UserCreated {
            email: user.email.clone(),
            name: user.name.clone(),
            is_admin: user.is_admin,
        },
    )
}

pub fn password_changed(user: &UserRow, via: &str) -> Event {
    Event::of(
        Target::User(user.id),
        UserPasswordChanged {
            via: via.to_owned(),
        },
    )
}

pub fn email_verified(user: &UserRow) -> Event {
    Event::of(
        Target::User(user.id),
        UserEmailVerified {
            email: user.email.clone(),
        },
    )
}

pub fn deleted(user: roster_domain::UserId) -> Event {
    Event::of(Target::User(user), UserDeleted {})
}

/// `user.updated` for a changed email or name (with `from` and `to`), and `user.disabled`,
/// `user.enabled`, `user.admin_granted`, `user.admin_revoked` for what those changed.
/// `ownerless`: what a disabled user was the only owner of.
pub fn changed(before: &UserRow, after: &UserRow, ownerless: &[OrganizationRow]) -> Vec<Event> {
    let target = Target::User(after.id);
    let mut events = Vec::new();
    let changes = UserChanges {
        email: Change::of(before.email.clone(), after.email.clone()),
        name: Change::of(before.name.clone(), after.name.clone()),
    };
    if changes != UserChanges::default() {
        events.push(Event::of(target.clone(), UserUpdated { changes }));
    }
    if before.state != after.state {
        events.push(if after.is_active() {
            Event::of(target.clone(), UserEnabled {})
        } else {
            let organizations_without_owner = ownerless
                .iter()
                .map(|org| OwnerlessOrganization {
                    id: org.id.as_uuid(),
                    name: org.name.clone(),
                })
                .collect();
            Event::of(
                target.clone(),
                UserDisabled {
                    organizations_without_owner,
                },
            )
        });
    }
    if before.is_admin != after.is_admin {
        events.push(if after.is_admin {
            Event::of(target.clone(), UserAdminGranted {})
        } else {
            Event::of(target.clone(), UserAdminRevoked {})
        });
    }
    events
}
