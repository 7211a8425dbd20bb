//! A user as operations return it: never with a password hash.

use chrono::{DateTime, Utc};
use roster_domain::{UserId, UserState};
use roster_store::users::UserRow;

use crate::precondition::etag_of;

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    /// Lowercased; unique.
    pub email: String,
    pub name: Option<String>,
    pub state: UserState,
    pub is_admin: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When `email` was proven (a link mailed there was followed); `None` while it is not.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// An address the user asked to change to, not proven yet: it holds nothing.
    pub pending_email: Option<String>,
}

impl User {
    /// Not disabled: the user's credentials work.
    pub fn is_active(&self) -> bool {
        self.state == UserState::Active
    }

    pub fn email_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }

    /// A strong validator that changes with every write of the user.
    pub fn etag(&self) -> String {
        etag_of(self.id.as_uuid(), self.updated_at)
    }
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            id: row.id,
            email: row.email,
            name: row.name,
            state: row.state,
            is_admin: row.is_admin,
            created_at: row.created_at.0,
            updated_at: row.updated_at.0,
            email_verified_at: row.email_verified_at.map(|at| at.0),
            pending_email: row.pending_email,
        }
    }
}

/// The ETag of a user as last written (what `If-Match` is compared with).
pub(crate) fn etag(row: &UserRow) -> String {
    etag_of(row.id.as_uuid(), row.updated_at.0)
}
