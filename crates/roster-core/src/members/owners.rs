//! The owner invariant: an organization that is not closed keeps at least one active owner.
//!
//! Checked after a change, inside its transaction and under the organization's lock (taken by
//! every membership change), so two owners demoting or removing each other at the same moment
//! cannot both succeed: the second sees the first's change and is refused.

use roster_domain::{OrgState, UserId};
use roster_store::{memberships, OrganizationRow};

use crate::{Conflict, Context, CoreError};

/// 409 when the change just made left the organization without an active owner.
pub(crate) fn ensure_owner_remains(
    cx: &mut Context<'_>,
    org: &OrganizationRow,
) -> Result<(), CoreError> {
    if org.state == OrgState::Closed {
        return Ok(());
    }
    let now = cx.now();
    if memberships::count_active_owners(cx.conn(), org.id, now)? == 0 {
        return Err(CoreError::Conflict(Conflict::LastOwner));
    }
    Ok(())
}

/// 409 when `user` is the person a personal organization was made for: they stay its owner.
pub(crate) fn keep_personal_owner(org: &OrganizationRow, user: UserId) -> Result<(), CoreError> {
    if org.personal && org.created_by == Some(user) {
        return Err(CoreError::Conflict(Conflict::PersonalOrganization));
    }
    Ok(())
}
