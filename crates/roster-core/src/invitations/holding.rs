//! An invitation is its sender's word, and holds only while the sender could still give it:
//! an active user who may hand on its role in the organization (a member whose role and tags
//! cover it, an owner for an owner's invitation, or a platform admin), through the API key it
//! was made with, if any, while that key is live and grants it too. A deleted sender's
//! invitations hold nothing.

use roster_domain::{Grants, OrganizationId, Role, UserId};
use roster_store::invitations::{self, InvitationRow};
use roster_store::{api_keys, roles, users, DbConn, Ts};

use super::events;
use crate::access::{key_grants, member_grants};
use crate::members::rules::granted_by;
use crate::roles::RoleView;
use crate::standing::member_standing;
use crate::{CheckedKey, Context, CoreError};

/// What the sender may give now: its grants, and whether it acts as an owner.
struct Standing {
    grants: Grants,
    owner: bool,
}

/// Whether `invitation` still holds at `now` (see the module's documentation).
pub(crate) fn invitation_holds(
    conn: &mut DbConn,
    invitation: &InvitationRow,
    now: Ts,
) -> Result<bool, CoreError> {
    let Some(standing) = sender_standing(conn, invitation, now)? else {
        return Ok(false);
    };
    if invitation.role == Role::Owner {
        return Ok(standing.owner);
    }
    let org = invitation.organization_id;
    match granted_by(conn, org, &invitation.role, &[], "role") {
        Ok(wanted) => Ok(standing.grants.covers(&wanted)),
        // Its custom role is gone: it grants nothing any more.
        Err(CoreError::Validation(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The sender's standing in the invitation's organization, as the credential it used: `None`
/// when the sender is gone or disabled, or its key is revoked or expired.
fn sender_standing(
    conn: &mut DbConn,
    invitation: &InvitationRow,
    now: Ts,
) -> Result<Option<Standing>, CoreError> {
    let Some(sender) = invitation.invited_by else {
        return Ok(None);
    };
    let Some(user) = users::find(conn, sender)? else {
        return Ok(None);
    };
    if !user.is_active() {
        return Ok(None);
    }
    let org = invitation.organization_id;
    let (membership, custom_role) = member_standing(conn, org, sender, now)?;
    let mut standing = if user.is_admin {
        Standing {
            grants: Grants::everything(),
            owner: true,
        }
    } else {
        match &membership {
            Some(m) => Standing {
                grants: member_grants(Some(m), custom_role.as_ref()),
                owner: m.role == Role::Owner,
            },
            None => return Ok(None),
        }
    };
    if let Some(key_id) = invitation.invited_by_key {
        let Some(key) = api_keys::find_by_id(conn, key_id)?.filter(|k| k.is_live(now)) else {
            return Ok(None);
        };
        let custom_role = match key.role() {
            Some(Role::Custom(name)) => roles::find(conn, org, &name)?.map(RoleView::from),
            _ => None,
        };
        let owner_key = key.role() == Some(Role::Owner);
        let checked = CheckedKey {
            key: key.into(),
            custom_role,
        };
        standing = Standing {
            grants: key_grants(&checked).intersection(&standing.grants),
            owner: standing.owner && owner_key,
        };
    }
    Ok(Some(standing))
}

/// Revokes the organization's open invitations that no longer hold (after a change that may
/// take a sender's right to give them: a demotion, a role's new permissions, a transfer of
/// ownership), those of `sender` only when given, each with its event. The caller holds the
/// organization's lock.
pub(crate) fn end_invitations_that_no_longer_hold(
    cx: &mut Context<'_>,
    organization: OrganizationId,
    sender: Option<UserId>,
) -> Result<(), CoreError> {
    let now = cx.now();
    for invitation in invitations::open_in(cx.conn(), organization, sender, now)? {
        if !invitation_holds(cx.conn(), &invitation, now)?
            && invitations::revoke(cx.conn(), invitation.id, now)?
        {
            cx.record(events::revoked(&invitation, "sender_cannot_grant"));
        }
    }
    Ok(())
}
