//! `invitations.accept`: the signed-in invitee joins. The invitation must be pending, unexpired
//! and sent to the caller's email (compared case-insensitively: both are stored lowercased);
//! each other case has its own answer. Two acceptances of one invitation at once: the
//! organization's lock orders them, and the second finds it accepted. An invitation whose maker
//! has since left, or can no longer hand on its role, counts as revoked.

use std::fmt;

use roster_auth::hash_secret;
use roster_domain::{FieldError, InvitationState, Role};
use roster_store::invitations::{self, InvitationRow};
use roster_store::memberships::{self, MemberUser, MembershipRow};
use roster_store::org_access::member_standing;
use roster_store::{organizations, users, Ts};

use super::events;
use crate::access::member_grants;
use crate::limits::ensure_room;
use crate::members::{events as member_events, remove_expired_in, rules::granted_by};
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
    type Output = (MembershipRow, MemberUser);

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let caller = cx.signed_in()?.clone();
        if !roster_auth::looks_like_invitation_token(&self.token) {
            return Err(CoreError::field(FieldError::new(
                "token",
                "invalid_format",
                "an invitation token starts with rsi_",
            )));
        }
        let hash = hash_secret(&self.token);
        let (found, _) = invitations::find_by_token_hash(cx.conn(), &hash)?
            .ok_or(CoreError::NotFound("invitation"))?;
        if found.email != caller.user.email {
            return Err(CoreError::forbidden(Forbidden::InvitationForSomeoneElse));
        }
        // Everything below happens under the organization's lock, on fresh rows.
        let org = organizations::lock(cx.conn(), found.organization_id)?
            .ok_or(CoreError::NotFound("invitation"))?;
        let (invitation, _) = invitations::find_by_token_hash(cx.conn(), &hash)?
            .ok_or(CoreError::NotFound("invitation"))?;
        let now = cx.now();
        match invitation.state {
            InvitationState::Accepted => {
                return Err(CoreError::Conflict(Conflict::InvitationAccepted))
            }
            InvitationState::Revoked => {
                return Err(CoreError::Conflict(Conflict::InvitationRevoked))
            }
            InvitationState::Pending if invitation.expires_at <= now => {
                return Err(CoreError::Gone("this invitation has expired".into()))
            }
            InvitationState::Pending => {}
        }
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
        let membership = MembershipRow {
            organization_id: org.id,
            user_id: caller.id(),
            role: invitation.role.clone(),
            permissions: Vec::new(),
            expires_at: None,
            created_at: now,
            updated_at: now,
            email: caller.user.email.clone(),
            name: caller.user.name.clone(),
        };
        // The lock orders this after any revocation; the state check makes sure of it.
        if !invitations::accept(cx.conn(), invitation.id, caller.id(), now)? {
            return Err(CoreError::Conflict(Conflict::InvitationRevoked));
        }
        memberships::insert(cx.conn(), &membership)?;
        organizations::add_members(cx.conn(), org.id, 1)?;
        cx.record(events::accepted(&invitation));
        cx.record(member_events::created(&membership));
        let user = MemberUser::of(&membership);
        Ok((membership, user))
    }
}

/// An invitation is the word of the member who made it, and holds only while they may still hand
/// on its role: a member removed or demoted since cannot get back in through an invitation they
/// sent themselves (as an organization API key stops when its maker leaves). Platform admins
/// vouch for theirs without a membership.
fn inviter_still_vouches(
    cx: &mut Context<'_>,
    invitation: &InvitationRow,
    now: Ts,
) -> Result<(), CoreError> {
    let Some(inviter) = invitation.invited_by else {
        return Ok(());
    };
    let org = invitation.organization_id;
    let (membership, custom_role) = member_standing(cx.conn(), org, inviter, now)?;
    let vouches = match &membership {
        Some(m) if invitation.role == Role::Owner => m.role == Role::Owner,
        Some(m) => {
            let wanted = granted_by(cx.conn(), org, &invitation.role, &[], "role")?;
            member_grants(Some(m), custom_role.as_ref()).covers(&wanted)
        }
        None => users::find(cx.conn(), inviter)?.is_some_and(|u| u.is_admin),
    };
    if vouches {
        Ok(())
    } else {
        Err(CoreError::Conflict(Conflict::InvitationRevoked))
    }
}
