//! Deleting an account: `users.delete_me` (with the current password) and `users.delete` (a
//! platform admin). The user leaves every organization through the one way out (refused, 409
//! naming it, while they are an open organization's last active owner; their personal
//! organization goes with them), their sessions, keys and the invitations they sent end, the
//! invitations waiting for their address are withdrawn, and their personal data is erased:
//! the account row goes, and the audit log keeps the user's id with the address removed
//! (`user.deleted`).

use std::fmt;

use roster_domain::{FieldError, UserId};
use roster_store::users;
use roster_store::{invitations, mail_outbox, memberships, organizations, OrganizationRow};

use crate::access::require_person;
use crate::invitations::events as invitation_events;
use crate::login_throttle::{CountFailure, ThrottledCaller};
use crate::members::leaving::{depart, end_what_they_made, Departure};
use crate::members::owners::ensure_owner_remains;
use crate::organizations::events as organization_events;
use crate::users::change_password::end_sessions;
use crate::users::events;
use crate::{
    Conflict, Context, Core, CoreError, Declared, Kind, Operation, Principal, Procedure,
    RequestMeta, Requirement, Secrets,
};

/// `users.delete_me`: the caller deletes their own account, proving it with their password.
#[derive(Clone)]
pub struct DeleteMe {
    pub password: String,
}

impl fmt::Debug for DeleteMe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeleteMe { .. }")
    }
}

impl Declared for DeleteMe {
    const NAME: &'static str = "users.delete_me";
    const REQUIRES: Requirement = Requirement::UserSession;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_REQUEST;
}

impl Procedure for DeleteMe {
    type Output = ();

    async fn perform(
        self,
        core: &Core,
        principal: &Principal,
        request: &RequestMeta,
    ) -> Result<(), CoreError> {
        let ip = request.ip.clone();
        let (me, attempt) = core
            .execute(principal, request, ThrottledCaller { ip })
            .await?;
        let stored = me.password_hash.clone();
        if !core.passwords().verify(self.password, stored).await? {
            core.execute(principal, request, CountFailure(attempt))
                .await?;
            return Err(CoreError::field(FieldError::new(
                "password",
                "incorrect",
                "the password is not correct",
            )));
        }
        core.execute(principal, request, EraseMe).await
    }
}

#[derive(Debug, Clone)]
struct EraseMe;

impl Declared for EraseMe {
    const NAME: &'static str = "users.delete_me.erase";
    const REQUIRES: Requirement = Requirement::UserSession;
    const KIND: Kind = Kind::Write;
}

impl Operation for EraseMe {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let me = cx.signed_in()?.id();
        erase(cx, me)
    }
}

/// `users.delete`: a platform admin deletes an account.
#[derive(Debug, Clone)]
pub struct DeleteUser {
    pub user: UserId,
}

impl Declared for DeleteUser {
    const NAME: &'static str = "users.delete";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Write;
}

impl Operation for DeleteUser {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        if let Some(caller) = cx.caller() {
            require_person(
                caller,
                "accounts are deleted by a signed-in platform admin, never with an API key",
            )?;
        }
        erase(cx, self.user)
    }
}

/// Deletes `user` and erases their personal data (see the module's documentation).
fn erase(cx: &mut Context<'_>, user: UserId) -> Result<(), CoreError> {
    let now = cx.now();
    let peek = users::find(cx.conn(), user)?.ok_or(CoreError::NotFound("user"))?;
    if peek.is_admin && peek.is_active() && users::count_active_admins(cx.conn())? <= 1 {
        return Err(CoreError::Conflict(Conflict::LastPlatformAdmin));
    }
    // Organizations first, in id order, then the user: the lock order of every membership
    // change, so that nobody joins or leaves one of them meanwhile.
    let mut locked: Vec<OrganizationRow> = Vec::new();
    for membership in memberships::of_user(cx.conn(), user)? {
        if let Some(org) = organizations::lock(cx.conn(), membership.organization_id)? {
            locked.push(org);
        }
    }
    let person = users::lock(cx.conn(), user)?.ok_or(CoreError::NotFound("user"))?;
    for membership in memberships::of_user(cx.conn(), user)? {
        let org = match locked.iter().find(|o| o.id == membership.organization_id) {
            Some(org) => org.clone(),
            // Joined while we waited for the user: lock it too.
            None => organizations::lock(cx.conn(), membership.organization_id)?
                .ok_or(CoreError::Busy)?,
        };
        if org.personal && org.created_by == Some(user) {
            // Their personal organization is theirs alone: it goes with them.
            organizations::delete(cx.conn(), org.id)?;
            cx.record(organization_events::deleted(&org));
            continue;
        }
        depart(cx, &membership, Departure::Left)?;
        ensure_owner_remains(cx, &org).map_err(|error| match error {
            CoreError::Conflict(Conflict::LastOwner) => {
                CoreError::Conflict(Conflict::LastOwnerOf(org.name.clone()))
            }
            other => other,
        })?;
    }
    end_sessions(cx, user, None, "user_deleted")?;
    end_what_they_made(cx, user, None, "user_deleted", None)?;
    for invitation in invitations::revoke_sent_to(cx.conn(), &person.email, now)? {
        cx.record(invitation_events::revoked(&invitation, "invitee_deleted"));
    }
    mail_outbox::forget_user(cx.conn(), user)?;
    roster_store::erasure::forget_keys_made_by(cx.conn(), user)?;
    roster_store::api_keys::delete_made_by(cx.conn(), user)?;
    users::delete(cx.conn(), user)?;
    cx.record(events::deleted(user));
    cx.erase_person(user, person.email);
    Ok(())
}
