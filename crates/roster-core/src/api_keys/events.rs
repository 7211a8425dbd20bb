//! What API key operations record in the audit log (never the key).

use chrono::{DateTime, Utc};
use roster_store::api_keys::ApiKeyRow;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::events::{Event, Target};

/// `api_key.created`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyCreated {
    /// The key's name.
    pub name: String,
    /// The key's visible beginning (`rst_…`), to recognise it by.
    pub prefix: String,
    /// The role it acts with (organization keys with a role).
    pub role: Option<String>,
    /// Permissions it holds beside its role.
    pub permissions: Vec<String>,
    /// Its maker.
    pub user_id: Uuid,
    /// When it stops working, if it does.
    pub expires_at: Option<DateTime<Utc>>,
}

/// `api_key.revoked`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyRevoked {
    /// The key's name.
    pub name: String,
    /// The key's visible beginning (`rst_…`), to recognise it by.
    pub prefix: String,
    /// Its maker.
    pub user_id: Uuid,
    /// `revoked` (by someone) or why its maker's standing ended it: `member_left`,
    /// `member_removed`, `member_expired`, `user_disabled`.
    pub reason: String,
}

fn target(key: &ApiKeyRow) -> Target {
    Target::ApiKey {
        organization: key.organization_id,
        id: key.id,
    }
}

pub fn created(key: &ApiKeyRow) -> Event {
    Event::of(
        target(key),
        ApiKeyCreated {
            name: key.name.clone(),
            prefix: key.prefix.clone(),
            role: key.role.clone(),
            permissions: key.permissions.clone(),
            user_id: key.user_id.as_uuid(),
            expires_at: key.expires_at.map(|t| t.0),
        },
    )
}

/// `api_key.revoked`; `reason` is `revoked` (by someone) or why its maker's standing ended it
/// (`member_left`, `member_removed`, `member_expired`, `user_disabled`).
pub fn revoked(key: &ApiKeyRow, reason: &str) -> Event {
    Event::of(
        target(key),
        ApiKeyRevoked {
            name: key.name.clone(),
            prefix: key.prefix.clone(),
            user_id: key.user_id.as_uuid(),
            reason: reason.to_owned(),
        },
    )
}
