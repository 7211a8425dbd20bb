//! Changes to a user's profile, shared by the caller's own update and a platform admin's.

use roster_domain::{optional_text, Email, FieldError};
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

/// Applies `changes` to the user as read in `before`: 409 when the new email belongs to someone
/// else or when another request changed the user in between.
pub(crate) fn apply(
    conn: &mut DbConn,
    before: &UserRow,
    mut changes: UserChanges,
    now: Ts,
) -> Result<UserRow, CoreError> {
    changes.updated_at = Some(now);
    let after =
        users::update_if_unchanged(conn, before, &changes).map_err(|error| match error {
            StoreError::NotFound => CoreError::NotFound("user"),
            other => other.into(),
        })?;
    if after.email != before.email || after.name != before.name {
        // Memberships keep copies of both, for member lists that need no look-up of users.
        memberships::set_contact(conn, after.id, &after.email, after.name.as_deref())?;
    }
    Ok(after)
}

/// A strong validator that changes with every write of the user.
pub fn etag(row: &UserRow) -> String {
    format!(
        "\"{}-{}\"",
        row.id.as_uuid().simple(),
        row.updated_at.0.timestamp_micros()
    )
}
