//! `roles.delete`: a custom role nobody holds (no member, live API key or open invitation).

use roster_domain::OrgKey;
use roster_domain::Permission;
use roster_store::{api_keys, invitations, memberships, roles};

use super::create::find_custom;
use super::{events, RoleView};
use crate::members::lock;
use crate::{Conflict, Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct DeleteRole {
    pub organization: OrgKey,
    pub key: String,
    pub precondition: Precondition,
}

impl Declared for DeleteRole {
    const NAME: &'static str = "roles.delete";
    const REQUIRES: Requirement = Requirement::Organization(Permission::RolesWrite);
    const KIND: Kind = Kind::Write;
}

impl Operation for DeleteRole {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let access = cx.organization(&self.organization)?;
        let org = lock(cx, &access)?;
        let role = find_custom(cx, org.id, &self.key)?;
        self.precondition.check(&RoleView::custom(&role).etag())?;
        access.require_covers(&roster_domain::role_grants(&role.permissions))?;
        let now = cx.now();
        let in_use = memberships::count_with_role(cx.conn(), org.id, &role.key)?
            + api_keys::count_live_with_role(cx.conn(), org.id, &role.key, now)?
            + invitations::count_open_with_role(cx.conn(), org.id, &role.key, now)?;
        if in_use > 0 {
            return Err(CoreError::Conflict(Conflict::RoleInUse));
        }
        roles::delete(cx.conn(), org.id, &role.key)?;
        cx.record(events::deleted(&role));
        Ok(())
    }
}
