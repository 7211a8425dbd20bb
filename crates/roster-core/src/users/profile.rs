//! Changes to a user's profile, shared by the caller's own update and a platform admin's.

use roster_domain::{optional_text, Email, FieldError, UserId};
use roster_store::memberships;
use roster_store::users::{self, UserChanges, UserRow};
use roster_store::{DbConn, StoreError, Ts};

use crate::CoreError;

pub const NAME_MAX: usize = 200;

/// What a user may change of their own profile; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub email: Option<Email>,
    /// `Some(None)` clears the name.
    pub name: Option<Option<String>>,
}

impl ProfileChanges {
    /// Validates a display name (`None` clears it).
    pub fn parse_name(name: Option<&str>) -> Result<Option<String>, FieldError> {
        optional_text(name, "name", NAME_MAX)
    }

    pub(crate) fn into_changes(self) -> UserChanges {
        UserChanges {
            email: self.email.map(Email::into_string),
            name: self.name,
            ..UserChanges::default()
        }
    }
}

/// The user as it is now, locked for a change until the transaction ends: two changes at once
/// are made one after the other, each to the row the other left (the last writer wins, as for
/// organizations; `If-Match` is checked against this row).
pub(crate) fn lock(conn: &mut DbConn, id: UserId) -> Result<UserRow, CoreError> {
    users::lock(conn, id)?.ok_or(CoreError::NotFound("user"))
}

/// Applies `changes` to the user `before`, locked by [`lock`]: 409 when the new email belongs
/// to someone else.
pub(crate) fn apply(
    conn: &mut DbConn,
    before: &UserRow,
    mut changes: UserChanges,
    now: Ts,
) -> Result<UserRow, CoreError> {
    changes.updated_at = Some(now);
    let after = users::update(conn, before.id, &changes).map_err(|error| match error {
        StoreError::NotFound => CoreError::NotFound("user"),
        other => other.into(),
    })?;
    if after.email != before.email || after.name != before.name {
        // Memberships keep copies of both, for member lists that need no look-up of users. A
        // membership being added meanwhile holds the user row (`users::hold`), so this waits
        // for it and rewrites its copy too.
        memberships::set_contact(conn, after.id, &after.email, after.name.as_deref())?;
    }
    Ok(after)
}
