//! An invitation is its sender's word, and holds only while the sender could still give it:
//! an active user who may hand on its role in the organization (a member whose role and tags
//! cover it, an owner for an owner's invitation, or a platform admin), with the API key it was
//! made with, if any, not revoked. A deleted sender's invitations hold nothing.

use roster_domain::{OrganizationId, Role};
use roster_store::invitations::{self, InvitationRow};
use roster_store::org_access::member_standing;
use roster_store::{api_keys, users, DbConn, Ts};

use super::events;
use crate::access::member_grants;
use crate::members::rules::granted_by;
use crate::{Context, CoreError};

/// Whether `invitation` still holds at `now` (see the module's documentation).
pub(crate) fn invitation_holds(
    conn: &mut DbConn,
    invitation: &InvitationRow,
    now: Ts,
) -> Result<bool, CoreError> {
    let Some(sender) = invitation.invited_by else {
        return Ok(false);
    };
    if let Some(key) = invitation.invited_by_key {
        if api_keys::find_by_id(conn, key)?.is_none_or(|k| k.revoked_at.is_some()) {
            return Ok(false);
        }
    }
    let Some(user) = users::find(conn, sender)? else {
        return Ok(false);
    };
    if !user.is_active() {
        return Ok(false);
    }
    let org = invitation.organization_id;
    let (membership, custom_role) = member_standing(conn, org, sender, now)?;
    let Some(membership) = membership else {
        return Ok(user.is_admin);
    };
    if invitation.role == Role::Owner {
        return Ok(membership.role == Role::Owner || user.is_admin);
    }
    let wanted = match granted_by(conn, org, &invitation.role, &[], "role") {
        Ok(wanted) => wanted,
        // Its custom role is gone: it grants nothing any more.
        Err(CoreError::Validation(_)) => return Ok(false),
        Err(other) => return Err(other),
    };
    Ok(user.is_admin || member_grants(Some(&membership), custom_role.as_ref()).covers(&wanted))
}

/// Revokes the organization's pending invitations that no longer hold (after a change that
/// may take a sender's right to give them: a demotion, a role's new permissions, a transfer of
/// ownership), each with its event. The caller holds the organization's lock.
pub(crate) fn end_invitations_that_no_longer_hold(
    cx: &mut Context<'_>,
    organization: OrganizationId,
) -> Result<(), CoreError> {
    let now = cx.now();
    for invitation in invitations::pending_in(cx.conn(), organization)? {
        if !invitation_holds(cx.conn(), &invitation, now)?
            && invitations::revoke(cx.conn(), invitation.id, now)?
        {
            cx.record(events::revoked(&invitation, "sender_cannot_grant"));
        }
    }
    Ok(())
}
