//! What may be handed on in a membership (or an invitation, or an API key): a role that exists,
//! tags that parse, never more than the caller holds, owners only by owners, and no expiry on
//! an owner's membership (an owner leaving by expiry would bypass the last-owner rule).

use roster_domain::{FieldError, Grants, OrganizationId, Role};
use roster_store::invitations::InvitationRow;
use roster_store::{roles, DbConn, Ts};

use crate::access::{role_grants_of, OrgAccess};
use crate::roles::RoleView;
use crate::CoreError;

/// What `role` plus `tags` grant in the organization; 422 for a custom role it does not have.
pub(crate) fn granted_by(
    conn: &mut DbConn,
    organization: OrganizationId,
    role: &Role,
    tags: &[String],
    field: &str,
) -> Result<Grants, CoreError> {
    let custom = match role {
        Role::Custom(key) => Some(
            roles::find(conn, organization, key)?
                .map(RoleView::from)
                .ok_or_else(|| {
                    CoreError::field(FieldError::new(
                        field,
                        "unknown_role",
                        format!("the organization has no role `{key}`"),
                    ))
                })?,
        ),
        _ => None,
    };
    Ok(role_grants_of(role, custom.as_ref()).with_tags(tags))
}

/// 403 unless the caller may hand on `role` with `grants`: owners only by owners, and nothing
/// beyond the caller's own permissions.
pub(crate) fn may_hand_on(
    access: &OrgAccess,
    role: &Role,
    grants: &Grants,
) -> Result<(), CoreError> {
    if *role == Role::Owner {
        access.require_owner()?;
    }
    access.require_covers(grants)
}

/// 403 unless the caller may withdraw `invitation` (revoke it, or replace it with another):
/// its own sender may (an API key counting as its maker); anyone else needs what its role
/// grants, as for handing that role on (an owner's invitation to be an owner is an owner's).
pub(crate) fn may_withdraw(
    conn: &mut DbConn,
    access: &OrgAccess,
    invitation: &InvitationRow,
) -> Result<(), CoreError> {
    if invitation
        .invited_by
        .is_some_and(|sender| access.concerns_own_membership(sender))
    {
        return Ok(());
    }
    let wanted = granted_by(
        conn,
        invitation.organization_id,
        &invitation.role,
        &[],
        "role",
    )?;
    may_hand_on(access, &invitation.role, &wanted)
}

/// An expiry must lie ahead, and an owner's membership has none.
pub(crate) fn check_expiry(role: &Role, expires_at: Option<Ts>, now: Ts) -> Result<(), CoreError> {
    match expires_at {
        Some(at) if at <= now => Err(CoreError::field(FieldError::new(
            "expires_at",
            "in_past",
            "must be in the future",
        ))),
        Some(_) if *role == Role::Owner => Err(CoreError::field(FieldError::new(
            "expires_at",
            "owner_expiry",
            "an owner's membership does not expire; make them admin first, or clear expires_at",
        ))),
        _ => Ok(()),
    }
}
