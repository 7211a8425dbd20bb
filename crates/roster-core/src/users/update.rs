//! `users.update`: a platform admin renames, disables, re-enables, makes or unmakes admins.
//! Disabling ends the user's sessions at once (and their API keys stop working), keeps their
//! memberships, and is always allowed but for the last active platform admin: the
//! organizations it leaves without an active owner are named, so the admin can repair them.

use roster_domain::{Email, UserId, UserState};
use roster_store::users::{self, UserChanges, UserRow};
use roster_store::{memberships, organizations, OrganizationRow};
use serde_json::json;

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

/// The user after the change, and the open organizations that disabling them left without an
/// active owner.
#[derive(Clone)]
pub struct UpdatedUser {
    pub user: UserRow,
    pub organizations_without_owner: Vec<OrganizationRow>,
}

impl Operation for UpdateUser {
    type Output = UpdatedUser;

    fn run(self, cx: &mut Context<'_>) -> Result<UpdatedUser, CoreError> {
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
        let disabling = before.is_active() && state == Some(UserState::Disabled);
        if disabling {
            // Their organizations are locked first (in id order), so that disabling two owners
            // of one organization at once names it in the second answer.
            for org in memberships::owned_organizations(cx.conn(), before.id, now)? {
                organizations::lock(cx.conn(), org)?;
            }
        }
        let after = apply(cx.conn(), &before, changes, now)?;
        let orphaned = if disabling {
            memberships::solely_owned(cx.conn(), after.id, now)?
        } else {
            Vec::new()
        };
        for mut event in events::changed(&before, &after) {
            if event.kind == "user.disabled" {
                event = event.data(json!({
                    "organizations_without_owner": orphaned
                        .iter()
                        .map(|org| json!({"id": org.id, "name": org.name}))
                        .collect::<Vec<_>>(),
                }));
            }
            cx.record(event);
        }
        if before.is_active() && !after.is_active() {
            end_sessions(cx, after.id, None, "user_disabled")?;
        }
        Ok(UpdatedUser {
            user: after,
            organizations_without_owner: orphaned,
        })
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
