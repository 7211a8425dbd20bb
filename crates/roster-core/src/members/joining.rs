//! The one way into an organization: adding a member, accepting an invitation, creating an
//! organization (with its members) and a personal organization all make the membership here.

use roster_domain::{Role, UserId};
use roster_store::memberships::{self, MembershipRow};
use roster_store::{organizations, users, OrganizationRow, Ts};

use super::events;
use crate::{Context, CoreError};

/// What a new membership holds beyond its user.
pub(crate) struct Joining {
    pub user: UserId,
    pub role: Role,
    pub permissions: Vec<String>,
    pub expires_at: Option<Ts>,
}

impl Joining {
    /// A membership with `role` and nothing else (no tags, no expiry).
    pub(crate) fn plain(user: UserId, role: Role) -> Joining {
        Joining {
            user,
            role,
            permissions: Vec::new(),
            expires_at: None,
        }
    }
}

/// Makes the membership, counts it and records `membership.created`; the caller has checked
/// who may and holds the organization's lock (or made the organization in this transaction).
///
/// The membership keeps copies of its user's email and name. The user row is held until the
/// transaction ends and read as it is now, so an email change cannot slip in between (it waits,
/// then rewrites this copy too): the copy is never lost.
pub(crate) fn join(
    cx: &mut Context<'_>,
    org: &OrganizationRow,
    joining: Joining,
) -> Result<MembershipRow, CoreError> {
    let user = users::hold(cx.conn(), joining.user)?.ok_or(CoreError::NotFound("user"))?;
    let now = cx.now();
    let membership = MembershipRow {
        organization_id: org.id,
        user_id: user.id,
        role: joining.role,
        permissions: joining.permissions,
        expires_at: joining.expires_at,
        created_at: now,
        updated_at: now,
        email: user.email,
        name: user.name,
    };
    memberships::insert(cx.conn(), &membership)?;
    organizations::add_members(cx.conn(), org.id, 1)?;
    cx.record(events::created(&membership));
    Ok(membership)
}
