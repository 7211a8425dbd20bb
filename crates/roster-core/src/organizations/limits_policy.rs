//! Who sets an organization's limits: platform admins only (an owner changing them gets 403).

use roster_domain::Limits;

use crate::{Caller, CoreError, Forbidden};

/// 403 unless the limits stay as they were or the caller is a platform admin.
pub(crate) fn only_admins_set_limits(
    caller: &Caller,
    before: Limits,
    after: Limits,
) -> Result<(), CoreError> {
    if before == after || caller.is_platform_admin() {
        return Ok(());
    }
    Err(CoreError::forbidden(Forbidden::Policy(
        "limits are set by platform admins",
    )))
}
