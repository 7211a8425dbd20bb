//! What an access token says about its bearer.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The claims inside a Roster access token.
///
/// The organization fields are present only on tokens scoped to one
/// organization; they are a snapshot taken at issue time; authorization
/// decisions inside Roster re-read live membership, other services may trust
/// them for the token's short lifetime.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AccessClaims {
    /// Issuer: Roster's public base URL; verifiers reject any other.
    pub iss: String,
    /// The user id.
    pub sub: Uuid,
    /// Issued at, seconds since the Unix epoch.
    pub iat: i64,
    /// Expires at, seconds since the Unix epoch; checked with no leeway.
    pub exp: i64,
    /// Unique token id (UUIDv7), for logs and audit trails.
    pub jti: Uuid,
    /// The sign-in session the token belongs to (Roster: its refresh-token family), if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sid: Option<Uuid>,
    /// The organization this token is scoped to, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub org_id: Option<Uuid>,
    /// The bearer's role in `org_id` when the token was issued.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub org_role: Option<String>,
    /// The permissions that role granted when the token was issued.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub org_permissions: Option<Vec<String>>,
}

impl AccessClaims {
    /// Whether the token grants `permission` in its organization, by the rules Roster itself
    /// applies: a catalogue permission (`members:write`) only when listed, an application one
    /// (`invoices:read`) when listed or covered by a wildcard tag (`invoices:*`, `*`). A token
    /// not scoped to an organization grants nothing here: ask for one with `organization`.
    pub fn grants(&self, permission: &str) -> bool {
        self.org_permissions
            .as_ref()
            .is_some_and(|held| grants(held, permission))
    }
}

/// Whether permissions `held` in an organization grant `permission` there, by Roster's rules.
pub(crate) fn grants(held: &[String], permission: &str) -> bool {
    if roster_domain::Permission::parse(permission).is_some() {
        return held.iter().any(|p| p == permission);
    }
    held.iter()
        .any(|tag| roster_domain::tag_covers(tag, permission))
}

/// The organization a token is scoped to, with the bearer's role and
/// permissions there (plain strings, as other services read them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgScope {
    pub org_id: Uuid,
    pub role: String,
    pub permissions: Vec<String>,
}
