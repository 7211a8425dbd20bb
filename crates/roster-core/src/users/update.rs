//! `users.update`: a platform admin renames, disables, re-enables, makes or unmakes admins.
//! Disabling ends the user's sessions at once (and their API keys stop working), keeps their
//! memberships, and is always allowed but for the last active platform admin: the
//! organizations it leaves without an active owner are named, so the admin can repair them.

use roster_domain::{Email, UserId, UserState};
use roster_store::users::{self, UserChanges, UserRow};
use roster_store::{memberships, organizations};

use super::change_password::end_sessions;
use super::events;
use super::profile::{apply, lock, ProfileChanges};
use super::{etag, User};
use crate::access::require_person;
use crate::members::leaving::end_what_they_made;
use crate::organizations::Organization;
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
    pub user: User,
    pub organizations_without_owner: Vec<Organization>,
}

impl Operation for UpdateUser {
    type Output = UpdatedUser;

    fn run(self, cx: &mut Context<'_>) -> Result<UpdatedUser, CoreError> {
        let AdminChanges {
            profile,
            state,
            is_admin,
        } = self.changes;
        let now = cx.now();
        let disables = |user: &UserRow| user.is_active() && state == Some(UserState::Disabled);
        // Locks are taken organizations first, then users, as everywhere (joining an
        // organization holds it, then its user), so that no two writers wait on each other.
        let peek = users::find(cx.conn(), self.user)?.ok_or(CoreError::NotFound("user"))?;
        if is_admin.is_some() || peek.is_admin {
            // Disabling or renaming an admin unmakes one as surely: a leaked key may do none.
            require_person(
                cx.signed_in()?,
                "platform admins are made, unmade and changed by a signed-in platform admin, never with an API key",
            )?;
        }
        let orgs_locked = disables(&peek);
        if orgs_locked {
            // Their organizations are locked first (in id order), so that disabling two owners
            // of one organization at once names it in the second answer.
            for org in memberships::owned_organizations(cx.conn(), peek.id, now)? {
                organizations::lock(cx.conn(), org)?;
            }
        }
        let loses_admin = |user: &UserRow| {
            user.is_admin
                && user.is_active()
                && (is_admin == Some(false) || state == Some(UserState::Disabled))
        };
        if loses_admin(&peek) && users::count_active_admins(cx.conn())? <= 1 {
            return Err(CoreError::Conflict(Conflict::LastPlatformAdmin));
        }
        let before = lock(cx.conn(), self.user)?;
        let changed_meanwhile = disables(&before) != orgs_locked
            || (loses_admin(&before) && !loses_admin(&peek))
            || before.is_admin != peek.is_admin;
        if changed_meanwhile {
            // Someone changed the user between the look and the lock: judge it again.
            return Err(CoreError::Busy);
        }
        self.precondition.check(&etag(&before))?;
        let disabling = disables(&before);
        let new_address = profile
            .email
            .as_ref()
            .is_some_and(|e| e.as_str() != before.email);
        let mut changes = UserChanges {
            state,
            is_admin,
            ..profile.into_changes()
        };
        if new_address {
            // An admin's change of address takes effect at once, unproven: a link goes there.
            changes.email_verified_at = Some(None);
            changes.pending_email = Some(None);
        }
        let after = apply(cx.conn(), &before, changes, now)?;
        if new_address {
            crate::accounts::send_verification(cx, &after, &after.email)?;
        }
        let orphaned = if disabling {
            memberships::solely_owned(cx.conn(), after.id, now)?
        } else {
            Vec::new()
        };
        for event in events::changed(&before, &after, &orphaned) {
            cx.record(event);
        }
        if before.is_active() && !after.is_active() {
            end_sessions(cx, after.id, None, "user_disabled")?;
            // Their keys and invitations speak for them: they end too, rather than sleeping
            // until the user is enabled again.
            end_what_they_made(cx, after.id, None, "user_disabled", None)?;
        }
        Ok(UpdatedUser {
            user: after.into(),
            organizations_without_owner: orphaned.into_iter().map(Organization::from).collect(),
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
