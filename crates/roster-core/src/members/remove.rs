//! `members.remove`: a member is removed, or removes itself (leaving). The organization keeps
//! an active owner; a personal organization keeps the person it was made for.

use roster_domain::OrgKey;
use roster_domain::{Permission, Role, UserId};
use roster_store::memberships;

use super::leaving::{depart, Departure};
use super::lock;
use super::owners::{ensure_owner_remains, keep_personal_owner};
use super::{etag, target_grants};
use crate::{Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

#[derive(Debug, Clone)]
pub struct RemoveMember {
    pub organization: OrgKey,
    pub user: UserId,
    pub precondition: Precondition,
}

impl Declared for RemoveMember {
    const NAME: &'static str = "members.remove";
    const REQUIRES: Requirement = Requirement::OrganizationOrSelf(Permission::MembersWrite);
    const KIND: Kind = Kind::Write;
}

impl Operation for RemoveMember {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let access = cx.organization_about(&self.organization, Some(self.user))?;
        let now = cx.now();
        let org = lock(cx, &access)?;
        let membership = memberships::find_current(cx.conn(), org.id, self.user, now)?
            .ok_or(CoreError::NotFound("member"))?;
        self.precondition.check(&etag(&membership))?;
        let leaving = access.is_self(self.user);
        if !leaving {
            if membership.role == Role::Owner {
                access.require_owner()?;
            }
            access.require_covers(&target_grants(cx, &membership)?)?;
        }
        if membership.role == Role::Owner {
            keep_personal_owner(&org, self.user)?;
        }
        let why = if leaving {
            Departure::Left
        } else {
            Departure::Removed
        };
        depart(cx, &membership, why)?;
        ensure_owner_remains(cx, &org)
    }
}
