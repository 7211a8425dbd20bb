//! Who is calling: the credential an operation is asked under, before the database has been
//! asked whether it still works.

use roster_domain::{OrganizationId, SessionId, UserId};
use roster_store::users::UserRow;

/// The caller of an operation, as its credential says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// No credential.
    Anonymous,
    /// A user's access token: which user, which sign-in session, and the organization it is
    /// scoped to, if any.
    User(UserCredential),
    /// The operator at the console (`roster admin create`): no HTTP request is ever this.
    Operator,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserCredential {
    pub user: UserId,
    /// The sign-in session (refresh-token family) the token belongs to; it must still be live.
    pub session: SessionId,
    /// The organization the token is scoped to: it acts there only.
    pub scope: Option<OrganizationId>,
}

/// A caller whose credential was checked against the database: the user exists, is active, and
/// the session is live.
#[derive(Clone)]
pub struct Caller {
    pub user: UserRow,
    pub session: SessionId,
    pub scope: Option<OrganizationId>,
}

impl Caller {
    pub fn id(&self) -> UserId {
        self.user.id
    }

    pub fn is_platform_admin(&self) -> bool {
        self.user.is_admin
    }
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caller")
            .field("user", &self.user.id)
            .field("session", &self.session)
            .field("scope", &self.scope)
            .finish()
    }
}
