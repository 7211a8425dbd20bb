//! An organization's limits (`limits.max_members`, `max_api_keys`, `max_invitations`,
//! `max_teams`, `max_projects`), set by
//! platform admins and enforced when something is added.
//!
//! Callers hold the organization's lock ([`roster_store::organizations::lock`]), so a burst of
//! concurrent additions is counted one after the other and can never pass a limit together.
//! Lowering a limit below what is in use is allowed: it only blocks further growth.

use roster_store::api_keys::{self, KeyOwner};
use roster_store::{invitations, projects, teams, OrganizationRow};

use crate::members::remove_expired_in;
use crate::{Conflict, Context, CoreError, Limit, LimitKind};

/// 409 naming the limit when adding `adding` more of `kind` would pass it.
pub(crate) fn ensure_room(
    cx: &mut Context<'_>,
    org: &OrganizationRow,
    kind: LimitKind,
    adding: i64,
) -> Result<(), CoreError> {
    let limits = org.limits();
    let max = match kind {
        LimitKind::Members => limits.max_members,
        LimitKind::ApiKeys => limits.max_api_keys,
        LimitKind::Invitations => limits.max_invitations,
        LimitKind::Teams => limits.max_teams,
        LimitKind::Projects => limits.max_projects,
    };
    let Some(max) = max else {
        return Ok(());
    };
    let now = cx.now();
    let used = match kind {
        LimitKind::Members => {
            // The stored count still includes memberships that expired since the sweeper last
            // ran; near the limit, remove them first so they do not count.
            let mut used = org.member_count;
            if used + adding > max {
                used -= remove_expired_in(cx, org.id)?;
            }
            used
        }
        LimitKind::ApiKeys => api_keys::count_live(cx.conn(), KeyOwner::Organization(org.id), now)?,
        LimitKind::Invitations => invitations::count_open(cx.conn(), org.id, now)?,
        LimitKind::Teams => teams::count_in(cx.conn(), org.id)?,
        LimitKind::Projects => projects::count_in(cx.conn(), org.id)?,
    };
    if used + adding > max {
        return Err(CoreError::Conflict(Conflict::LimitReached(Limit {
            kind,
            max,
        })));
    }
    Ok(())
}
