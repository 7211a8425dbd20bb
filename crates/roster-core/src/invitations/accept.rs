//! `invitations.accept`: the signed-in invitee joins. The invitation must be pending, unexpired
//! and sent to the caller's email (compared case-insensitively: both are stored lowercased);
//! each other case has its own answer. Two acceptances of one invitation at once: the
//! organization's lock orders them, and the second finds it accepted. An invitation that no
//! longer holds (its sender left, was demoted, disabled or deleted, or its key was revoked)
//! counts as revoked. Accepting with the token (mailed to the invitation's address) proves
//! the account's address when it was not proven yet.

use crate::members::Membership;
use std::fmt;

use roster_store::invitations::{self, InvitationRow};
use roster_store::memberships;
use roster_store::{organizations, users, Ts};

use super::{events, invitation_holds};
use crate::accounts::verify_address;
use crate::limits::ensure_room;
use crate::members::joining::{join, Joining};
use crate::members::remove_expired_in;
use crate::{
    Conflict, Context, CoreError, Declared, Forbidden, Kind, LimitKind, Operation, Requirement,
    Secrets,
};

#[derive(Clone)]
pub struct AcceptInvitation {
    pub token: String,
}

impl fmt::Debug for AcceptInvitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AcceptInvitation { .. }")
    }
}

impl Declared for AcceptInvitation {
    const NAME: &'static str = "invitations.accept";
    const REQUIRES: Requirement = Requirement::AccountWide;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_REQUEST;
}

impl Operation for AcceptInvitation {
    type Output = Membership;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let caller = cx.signed_in()?.clone();
        let hash = super::token_hash(&self.token)?;
        let found = super::by_token(cx, &hash)?;
        if found.email != caller.user.email {
            return Err(CoreError::forbidden(Forbidden::InvitationForSomeoneElse));
        }
        // Everything below happens under the organization's lock, on fresh rows.
        let org = organizations::lock(cx.conn(), found.organization_id)?
            .ok_or(CoreError::NotFound("invitation"))?;
        // Then the joining user, before anything of theirs in the organization is touched.
        let user = users::lock(cx.conn(), caller.id())?.ok_or(CoreError::NotFound("user"))?;
        let invitation = super::by_token(cx, &hash)?;
        let now = cx.now();
        super::ensure_open(&invitation, now)?;
        org.state.ensure_mutable()?;
        inviter_still_vouches(cx, &invitation, now)?;
        if memberships::find_current(cx.conn(), org.id, caller.id(), now)?.is_some() {
            return Err(CoreError::Conflict(Conflict::AlreadyMember));
        }
        // A membership of the caller's that expired but is not removed yet makes way.
        remove_expired_in(cx, org.id)?;
        let org =
            organizations::find(cx.conn(), org.id)?.ok_or(CoreError::NotFound("invitation"))?;
        ensure_room(cx, &org, LimitKind::Members, 1)?;
        // The lock orders this after any revocation; the state check makes sure of it.
        if !invitations::accept(cx.conn(), invitation.id, caller.id(), now)? {
            return Err(CoreError::Conflict(Conflict::InvitationRevoked));
        }
        cx.record(events::accepted(&invitation));
        // The token was mailed to this address: accepting with it proves the address.
        if !user.email_verified() && user.email == invitation.email {
            verify_address(cx, &user, &invitation.email)?;
        }
        let joining = Joining::plain(caller.id(), invitation.role.clone());
        let membership = join(cx, &org, joining)?;
        Ok(membership.into())
    }
}

/// 409 `invitation-revoked` unless the invitation still holds ([`invitation_holds`]): a sender
/// removed, demoted, disabled or deleted since cannot let anyone in through it.
fn inviter_still_vouches(
    cx: &mut Context<'_>,
    invitation: &InvitationRow,
    now: Ts,
) -> Result<(), CoreError> {
    if invitation_holds(cx.conn(), invitation, now)? {
        Ok(())
    } else {
        Err(CoreError::Conflict(Conflict::InvitationRevoked))
    }
}
