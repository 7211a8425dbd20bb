//! The JSON of API keys.

use chrono::{DateTime, Utc};
use roster_core::api_keys::CreatedKey;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::list_schema;

/// An API key, as lists show it: never its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKey {
    /// The key's id.
    pub id: Uuid,
    /// The organization it acts in; `null` for a personal key.
    pub organization_id: Option<Uuid>,
    /// What it is for.
    #[schema(example = "CI deploys")]
    pub name: String,
    /// The key's first characters, to recognise it by.
    #[schema(example = "rst_Xk2c9LmQ")]
    pub prefix: String,
    /// An organization key's role; `null` for a personal key.
    #[schema(example = "member")]
    pub role: Option<String>,
    /// An organization key's application permission tags.
    #[schema(example = json!(["deploys:write"]))]
    pub permissions: Vec<String>,
    /// Who made it (an organization key acts on their behalf, never above their permissions,
    /// and is revoked when they leave the organization, are removed, expire or are disabled).
    pub created_by: Uuid,
    /// When it was made.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When it was last used (recorded at most once a minute).
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it stops working by itself, if ever.
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new API key, with its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub api_key: ApiKey,
    /// The key: shown this once, never again (Roster keeps its SHA-256). Send it as
    /// `Authorization: Bearer rst_…` or `X-Api-Key: rst_…`.
    #[schema(example = "rst_Xk2c9LmQ4Tz8Vb1Nf6Hd3Jq0Wr5Ys7Ua2Ic9Oe4Pg1Lk")]
    pub key: String,
}

/// A new organization key.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "CI deploys", "role": "member", "permissions": ["deploys:write"]}))]
pub struct CreateOrganizationKey {
    /// What it is for (1 to 100 characters).
    #[schema(
        example = "CI deploys",
        min_length = 1,
        max_length = 100,
        pattern = "\\S"
    )]
    pub name: String,
    /// `owner` (owners only), `admin`, `member`, `viewer` or a custom role key; never above
    /// the caller's own permissions.
    #[schema(example = "member", pattern = "^[a-z0-9_-]{1,62}$")]
    pub role: String,
    /// Application permission tags (≤ 20).
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9][a-z0-9:._*-]{0,61}$", max_items = 20)]
    pub permissions: Vec<String>,
    /// When it stops working by itself.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new personal key: it acts as you, in your organizations.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "laptop scripts", "expires_at": "2027-06-01T00:00:00Z"}))]
pub struct CreatePersonalKey {
    /// What it is for (1 to 100 characters).
    #[schema(
        example = "laptop scripts",
        min_length = 1,
        max_length = 100,
        pattern = "\\S"
    )]
    pub name: String,
    /// When it stops working by itself.
    pub expires_at: Option<DateTime<Utc>>,
}

list_schema!(ApiKeyList, ApiKey, "A page of API keys.");

pub fn api_key(key: &roster_core::api_keys::ApiKey) -> ApiKey {
    ApiKey {
        id: key.id.as_uuid(),
        organization_id: key.organization_id.map(|id| id.as_uuid()),
        name: key.name.clone(),
        prefix: key.prefix.clone(),
        role: key.role.clone(),
        permissions: key.permissions.clone(),
        created_by: key.user_id.as_uuid(),
        created_at: key.created_at,
        last_used_at: key.last_used_at,
        expires_at: key.expires_at,
    }
}

pub fn created(created: &CreatedKey) -> CreatedApiKey {
    CreatedApiKey {
        api_key: api_key(&created.api_key),
        key: created.key.clone(),
    }
}
