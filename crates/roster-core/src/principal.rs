//! Who is calling: the credential an operation is asked under ([`Principal`]), and the caller
//! once the database has confirmed that the credential still works ([`Caller`]).

use chrono::{DateTime, Utc};
use roster_domain::{ApiKeyId, OrganizationId, SessionId, UserId};
use roster_store::events::Actor;

use crate::api_keys::ApiKey;
use crate::roles::RoleView;
use crate::users::User;

/// The caller of an operation, as its credential says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// No credential.
    Anonymous,
    /// A user's access token: which user, which sign-in session, and the organization it is
    /// scoped to, if any.
    User(UserCredential),
    /// An API key, known by the SHA-256 of what was presented; whose it is and what it may do
    /// is read from the database with the operation.
    ApiKey(ApiKeyCredential),
    /// The operator at the console (`roster admin create`) or Roster's own background work: no
    /// HTTP request is ever this.
    Operator,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserCredential {
    pub user: UserId,
    /// The sign-in session (refresh-token family) the token belongs to; it must still be live.
    pub session: SessionId,
    /// The organization the token is scoped to: it acts there only.
    pub scope: Option<OrganizationId>,
    /// When the access token expires.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A presented API key: the SHA-256 of the key, never the key itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiKeyCredential {
    pub hash: [u8; 32],
}

/// A caller whose credential was checked against the database: the user exists and is active,
/// the session is live or the key is neither revoked nor expired.
#[derive(Clone)]
pub struct Caller {
    /// The user: the token's, or the one an API key acts for (its creator).
    pub user: User,
    pub via: Via,
}

/// How the caller got in.
#[derive(Clone)]
pub enum Via {
    Session {
        session: SessionId,
        scope: Option<OrganizationId>,
        expires_at: Option<DateTime<Utc>>,
    },
    ApiKey(Box<CheckedKey>),
}

/// A working API key, with the custom role it holds (for an organization key).
#[derive(Clone)]
pub struct CheckedKey {
    pub key: ApiKey,
    pub custom_role: Option<RoleView>,
}

impl Caller {
    pub fn id(&self) -> UserId {
        self.user.id
    }

    /// A platform admin acting with an account-wide credential: an organization API key never
    /// carries its creator's platform rights.
    pub fn is_platform_admin(&self) -> bool {
        self.user.is_admin && self.organization_key().is_none()
    }

    /// The organization the credential is confined to: a scoped token's, or an organization
    /// key's.
    pub fn scope(&self) -> Option<OrganizationId> {
        match &self.via {
            Via::Session { scope, .. } => *scope,
            Via::ApiKey(checked) => checked.key.organization_id,
        }
    }

    /// The sign-in session, when the credential is an access token.
    pub fn session(&self) -> Option<SessionId> {
        match &self.via {
            Via::Session { session, .. } => Some(*session),
            Via::ApiKey(_) => None,
        }
    }

    /// The API key, when the credential is one.
    pub fn api_key(&self) -> Option<&CheckedKey> {
        match &self.via {
            Via::ApiKey(checked) => Some(checked),
            Via::Session { .. } => None,
        }
    }

    /// The API key, when it is an organization's.
    pub fn organization_key(&self) -> Option<&CheckedKey> {
        self.api_key()
            .filter(|checked| checked.key.organization_id.is_some())
    }

    pub fn api_key_id(&self) -> Option<ApiKeyId> {
        self.api_key().map(|checked| checked.key.id)
    }

    /// When the credential stops working by itself.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        match &self.via {
            Via::Session { expires_at, .. } => *expires_at,
            Via::ApiKey(checked) => checked.key.expires_at,
        }
    }

    /// Who the audit log names for what this caller does.
    pub fn actor(&self) -> Actor {
        match &self.via {
            Via::Session { .. } => Actor::User {
                id: self.user.id,
                email: self.user.email.clone(),
            },
            Via::ApiKey(checked) => Actor::ApiKey { id: checked.key.id },
        }
    }
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caller")
            .field("user", &self.user.id)
            .field("session", &self.session())
            .field("api_key", &self.api_key_id())
            .field("scope", &self.scope())
            .finish()
    }
}
