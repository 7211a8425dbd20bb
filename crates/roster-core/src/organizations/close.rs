//! Closing an organization: final, whether by `PATCH {"state": "closed"}` or by `DELETE`.

use roster_domain::OrgState;
use roster_store::{OrganizationRow, Ts};

use crate::CoreError;

/// The organization moved to `next` at `now`: `active` ↔ `inactive`, or to `closed` (with its
/// closing time); a closed organization refuses every change.
pub fn transition(row: &mut OrganizationRow, next: OrgState, now: Ts) -> Result<(), CoreError> {
    row.state = row.state.transition_to(next)?;
    if next == OrgState::Closed {
        row.closed_at = Some(now);
    }
    Ok(())
}
