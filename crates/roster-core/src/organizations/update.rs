//! `organizations.update`: a merge patch; renames keep the former name resolving; state moves
//! `active` ↔ `inactive` or to `closed`, which is final.

use roster_domain::OrgKey;
use roster_domain::{OrgState, Permission};
use roster_store::{memberships, organizations};

use super::limits_policy::only_admins_set_limits;
use super::patch::{apply, OrganizationPatch};
use super::write::write_change;
use super::{close, events};
use super::{etag, Organization};
use crate::{Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct UpdateOrganization {
    pub organization: OrgKey,
    pub patch: OrganizationPatch,
    pub precondition: Precondition,
}

impl Declared for UpdateOrganization {
    const NAME: &'static str = "organizations.update";
    const REQUIRES: Requirement = Requirement::Organization(Permission::OrganizationUpdate);
    const KIND: Kind = Kind::Write;
}

impl Operation for UpdateOrganization {
    type Output = Organization;

    fn run(self, cx: &mut Context<'_>) -> Result<Organization, CoreError> {
        let access = cx.organization(&self.organization)?;
        let current = organizations::find_for_update(cx.conn(), access.org.id)?
            .ok_or(CoreError::NotFound("organization"))?;
        self.precondition.check(&etag(&current))?;
        let now = cx.now();
        let owners = match self.patch.personal {
            Some(Some(true)) => memberships::count_active_owners(cx.conn(), access.org.id, now)?,
            _ => 0,
        };
        let (before, after) = write_change(cx.conn(), current, &self.precondition, |before| {
            before.state.ensure_mutable()?;
            let mut row = before.clone();
            let next_state = apply(&mut row, self.patch.clone())?;
            only_admins_set_limits(&access.caller, before.limits(), row.limits())?;
            if row.personal != before.personal {
                access.require_personal_organization_holder(row.personal, owners)?;
            }
            if let Some(next) = next_state {
                if next == OrgState::Closed {
                    access.require(Permission::OrganizationDelete)?;
                }
                close::transition(&mut row, next, now)?;
            }
            row.updated_at = now;
            Ok(row)
        })?;
        for event in events::changed(&before, &after) {
            cx.record(event);
        }
        Ok(after.into())
    }
}
