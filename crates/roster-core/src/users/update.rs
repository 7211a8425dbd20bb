//! `users.update`: a platform admin renames, disables, re-enables, makes or unmakes admins.
//! Disabling ends the user's sessions at once; the last active platform admin stays.

use roster_domain::{Email, UserId, UserState};
use roster_store::users::{self, UserChanges, UserRow};

use super::change_password::end_sessions;
use super::events;
use super::profile::{apply, etag, ProfileChanges};
use crate::{Conflict, Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

/// What a platform admin may change of any user.
#[derive(Debug, Clone, Default)]
pub struct AdminChanges {
    pub profile: ProfileChanges,
    pub state: Option<UserState>,
    pub is_admin: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct UpdateUser {
    pub user: UserId,
    pub changes: AdminChanges,
    pub precondition: Precondition,
}

impl Declared for UpdateUser {
    const NAME: &'static str = "users.update";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Write;
}

impl Operation for UpdateUser {
    type Output = UserRow;

    fn run(self, cx: &mut Context<'_>) -> Result<UserRow, CoreError> {
        let before = users::find(cx.conn(), self.user)?.ok_or(CoreError::NotFound("user"))?;
        self.precondition.check(&etag(&before))?;
        let AdminChanges {
            profile,
            state,
            is_admin,
        } = self.changes;
        let loses_admin = before.is_admin
            && before.is_active()
            && (is_admin == Some(false) || state == Some(UserState::Disabled));
        if loses_admin && users::count_active_admins(cx.conn())? <= 1 {
            return Err(CoreError::Conflict(Conflict::LastPlatformAdmin));
        }
        let changes = UserChanges {
            state,
            is_admin,
            ..profile.into_changes()
        };
        let now = cx.now();
        let after = apply(cx.conn(), &before, changes, now)?;
        for event in events::changed(&before, &after) {
            cx.record(event);
        }
        if before.is_active() && !after.is_active() {
            end_sessions(cx, after.id, None, "user_disabled")?;
        }
        Ok(after)
    }
}

impl AdminChanges {
    /// Just an email change, for tools.
    pub fn email(email: Email) -> AdminChanges {
        AdminChanges {
            profile: ProfileChanges {
                email: Some(email),
                name: None,
            },
            ..AdminChanges::default()
        }
    }
}
