//! The JSON of members: adding one, changing one, transferring ownership, permissions and the
//! `authorize` question.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use roster_core::members::{Decision, Sourced};
use roster_domain::{storable_instant, AccessLevel, Email, FieldError, Role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{double_option, not_null};
use crate::routes::organizations::json::Membership;

/// Whom to add: an existing account by `user_id` (joins at once, 201), or an `email` (a
/// pending invitation, 202).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "0193a5c2-7d1e-7c3a-9f4b-2f1e5d6c7b8a", "role": "member", "permissions": ["billing:read"]}))]
pub struct AddMember {
    /// An existing account (give this or `email`).
    pub user_id: Option<Uuid>,
    /// Someone to invite (give this or `user_id`).
    #[schema(format = Email, example = "grace@example.test")]
    pub email: Option<String>,
    /// `owner` (owners only), `admin`, `member`, `viewer` or a custom role key.
    #[schema(example = "member", pattern = "^[a-z0-9_-]{1,62}$")]
    pub role: String,
    /// Application permission tags (`user_id` only): ≤ 20, each ≤ 62 characters of
    /// `[a-z0-9:._*-]`, none in a catalogue area; `billing:*` grants `billing:read`.
    #[serde(default)]
    #[schema(example = json!(["billing:read"]), pattern = "^[a-z0-9][a-z0-9:._*-]{0,61}$", max_items = 20)]
    pub permissions: Vec<String>,
    /// When the membership ends by itself (`user_id` only; never for an owner).
    pub expires_at: Option<DateTime<Utc>>,
}

/// Whom an addition names.
pub enum Whom {
    User(roster_domain::UserId),
    Email(Email),
}

impl AddMember {
    pub fn whom(&self) -> Result<Whom, ApiError> {
        match (&self.user_id, &self.email) {
            (Some(id), None) => Ok(Whom::User(roster_domain::UserId::from_uuid(*id))),
            (None, Some(email)) => Ok(Whom::Email(Email::parse_field(email, "email")?)),
            _ => Err(ApiError::field(FieldError::new(
                "user_id",
                "invalid_value",
                "give exactly one of user_id and email",
            ))),
        }
    }
}

/// A change to a membership: an absent field is unchanged; `expires_at: null` removes the
/// expiry.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "admin", "permissions": ["billing:*"]}))]
pub struct UpdateMember {
    /// A new role (making or unmaking an owner takes an owner). Not `null`.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(example = "admin", pattern = "^[a-z0-9_-]{1,62}$", nullable = false)]
    pub role: Option<String>,
    /// The membership's application permission tags, replacing the current ones (`[]` for
    /// none; not `null`).
    #[serde(default, deserialize_with = "not_null")]
    #[schema(example = json!(["billing:*"]), pattern = "^[a-z0-9][a-z0-9:._*-]{0,61}$", max_items = 20, nullable = false)]
    pub permissions: Option<Vec<String>>,
    /// When the membership ends by itself; `null` keeps it for good.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub expires_at: Option<Option<DateTime<Utc>>>,
}

/// A role from a request field.
pub fn parse_role(raw: &str, field: &str) -> Result<Role, ApiError> {
    Ok(Role::parse_field(raw, field)?)
}

/// An optional `expires_at` as stored: 422 outside the years the databases hold.
pub fn parse_expiry(at: Option<DateTime<Utc>>) -> Result<Option<DateTime<Utc>>, ApiError> {
    at.map(|at| {
        storable_instant(at).ok_or_else(|| {
            ApiError::field(FieldError::new(
                "expires_at",
                "out_of_range",
                "must be within years 1 to 9999",
            ))
        })
    })
    .transpose()
}

/// Who is to become owner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferOwnership {
    /// The member who becomes owner.
    pub user_id: Uuid,
    /// The caller stays an owner too (default: the caller becomes `admin`).
    #[serde(default)]
    pub keep_owner: bool,
}

/// Both memberships after a transfer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Transferred {
    /// The caller's membership (`admin` now, unless it kept ownership); `null` for a platform
    /// admin who is not a member.
    pub previous_owner: Option<Membership>,
    /// The new owner's membership.
    pub new_owner: Membership,
}

/// One permission in force and what grants it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourcedPermission {
    /// A catalogue permission or an application tag.
    #[schema(example = "members:read")]
    pub permission: String,
    /// `role:<key>` or `tag:<tag>`.
    #[schema(example = json!(["role:admin"]))]
    pub sources: Vec<String>,
}

impl From<Sourced> for SourcedPermission {
    fn from(sourced: Sourced) -> Self {
        SourcedPermission {
            permission: sourced.permission,
            sources: sourced.sources,
        }
    }
}

/// A member's effective permissions.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"data": [{"permission": "members:read", "sources": ["role:admin"]}, {"permission": "billing:*", "sources": ["tag:billing:*"]}]}))]
pub struct EffectivePermissions {
    /// Each permission in force, catalogue ones first.
    pub data: Vec<SourcedPermission>,
}

/// An access question.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "0193a5c2-7d1e-7c3a-9f4b-2f1e5d6c7b8a", "permissions": ["members:write", "billing:read"]}))]
pub struct AuthorizeRequest {
    /// Whom it is about (default: the caller). Asking about someone else needs `members:read`.
    pub user_id: Option<Uuid>,
    /// Up to 100 permissions: catalogue ones (`members:write`) or the application's own; at
    /// least one unless `project` is given.
    #[serde(default)]
    #[schema(example = json!(["members:write", "billing:read"]), pattern = "^[a-z0-9:._*-]{1,62}$", max_items = 100)]
    pub permissions: Vec<String>,
    /// A project of the organization (id or name) to ask about too: `allowed` then also needs
    /// `project_access` to it.
    #[schema(example = "checkout-api")]
    pub project: Option<String>,
    /// The access level wanted to `project` (default `reader`); a higher level satisfies a
    /// lower one.
    pub project_access: Option<AccessLevel>,
}

/// The answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"allowed": false, "results": {"members:write": false, "billing:read": true}, "project": {"access": "writer", "allowed": true}}))]
pub struct AuthorizeResponse {
    /// Every permission asked for is granted.
    pub allowed: bool,
    /// Each permission asked for, granted or not.
    pub results: BTreeMap<String, bool>,
    /// The project asked about, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub project: Option<ProjectAnswer>,
}

/// The access to the project asked about.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectAnswer {
    /// The user's access level to the project; `null` when they have none.
    pub access: Option<AccessLevel>,
    /// That level is at least `project_access`.
    pub allowed: bool,
}

impl From<Decision> for AuthorizeResponse {
    fn from(decision: Decision) -> Self {
        AuthorizeResponse {
            allowed: decision.allowed,
            results: decision.results.into_iter().collect(),
            project: decision.project.map(|p| ProjectAnswer {
                access: p.access,
                allowed: p.allowed,
            }),
        }
    }
}
