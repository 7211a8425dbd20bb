//! An API key as operations return it: its visible prefix, never its secret or the hash.

use chrono::{DateTime, Utc};
use roster_domain::{ApiKeyId, OrganizationId, Role, UserId};
use roster_store::api_keys::ApiKeyRow;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    /// An organization's key; `None` for a personal key.
    pub organization_id: Option<OrganizationId>,
    /// Whose it is: who made it, and whom it acts for.
    pub user_id: UserId,
    pub name: String,
    /// The first characters of the key, to recognise it by.
    pub prefix: String,
    /// An organization key's role.
    pub role: Option<String>,
    /// An organization key's tags.
    pub permissions: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    /// An organization key's role (`None` for a personal key, or a stored key that no longer
    /// parses, which then grants nothing).
    pub fn role(&self) -> Option<Role> {
        self.role.as_deref().and_then(|r| Role::parse(r).ok())
    }

    /// Neither revoked nor expired at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| at > now)
    }

    /// A strong validator that changes when the key is revoked.
    pub fn etag(&self) -> String {
        validator(self.id, self.revoked_at)
    }
}

impl From<ApiKeyRow> for ApiKey {
    fn from(row: ApiKeyRow) -> ApiKey {
        ApiKey {
            id: row.id,
            organization_id: row.organization_id,
            user_id: row.user_id,
            name: row.name,
            prefix: row.prefix,
            role: row.role,
            permissions: row.permissions,
            expires_at: row.expires_at.map(|at| at.0),
            last_used_at: row.last_used_at.map(|at| at.0),
            created_at: row.created_at.0,
            revoked_at: row.revoked_at.map(|at| at.0),
        }
    }
}

/// The ETag of a key as last written (what `If-Match` is compared with).
pub(crate) fn etag(key: &ApiKeyRow) -> String {
    validator(key.id, key.revoked_at.map(|at| at.0))
}

fn validator(id: ApiKeyId, revoked_at: Option<DateTime<Utc>>) -> String {
    let revoked = revoked_at.map_or(0, |at| at.timestamp_micros());
    format!("\"{}-{revoked}\"", id.as_uuid().simple())
}
