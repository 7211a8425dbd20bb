//! The JSON of roles.

use chrono::{DateTime, Utc};
use roster_core::roles::RoleView;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::extract::{double_option, not_null};
use crate::list_schema;

/// A role: built-in (read-only) or the organization's own.
#[derive(Debug, Serialize, ToSchema)]
pub struct Role {
    /// Unique within the organization: `owner`, `admin`, `member`, `viewer`, or a custom key.
    #[schema(example = "billing-admin")]
    pub key: String,
    /// The name people read.
    #[schema(example = "Billing admin")]
    pub name: String,
    /// What it is for.
    pub description: Option<String>,
    /// Catalogue permissions and application tags it grants.
    #[schema(example = json!(["organization:read", "members:read", "billing:*"]), pattern = "^(\\*|[a-z0-9][a-z0-9:._*-]{0,61})$")]
    pub permissions: Vec<String>,
    /// One of the four built-in roles, which cannot change.
    pub builtin: bool,
    /// When it was made (custom roles).
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed (custom roles).
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<RoleView> for Role {
    fn from(view: RoleView) -> Self {
        Role {
            key: view.key,
            name: view.name,
            description: view.description,
            permissions: view.permissions,
            builtin: view.builtin,
            created_at: view.created_at,
            updated_at: view.updated_at,
        }
    }
}

/// A new custom role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "billing-admin", "name": "Billing admin", "permissions": ["organization:read", "members:read", "billing:*"]}))]
pub struct CreateRole {
    /// 1 to 62 characters of `a-z`, `0-9`, `_` and `-`; not a built-in role's key.
    #[schema(example = "billing-admin", pattern = "^[a-z0-9_-]{1,62}$")]
    pub key: String,
    /// The name people read (1 to 100 characters).
    #[schema(
        example = "Billing admin",
        min_length = 1,
        max_length = 100,
        pattern = "\\S"
    )]
    pub name: String,
    /// What it is for (up to 500 characters).
    pub description: Option<String>,
    /// Catalogue permissions (never `organization:delete`) and application tags, ≤ 64; never
    /// more than the caller holds.
    #[schema(example = json!(["organization:read", "members:read", "billing:*"]), pattern = "^[a-z0-9][a-z0-9:._*-]{0,61}$")]
    pub permissions: Vec<String>,
}

/// A change to a custom role: an absent field is unchanged.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"permissions": ["organization:read", "billing:*"]}))]
pub struct UpdateRole {
    /// The name people read. Not `null`.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    pub name: Option<String>,
    /// What it is for; `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// The permissions, replacing the current ones (`[]` for none; not `null`).
    #[serde(default, deserialize_with = "not_null")]
    #[schema(pattern = "^[a-z0-9][a-z0-9:._*-]{0,61}$", nullable = false)]
    pub permissions: Option<Vec<String>>,
}

list_schema!(RoleList, Role, "A page of roles: the built-in ones first.");
