//! `members.get`: one current membership (a member may always read its own).

use roster_domain::OrgKey;
use roster_domain::{Permission, UserId};
use roster_store::memberships;

use super::Membership;

use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct GetMember {
    pub organization: OrgKey,
    pub user: UserId,
}

impl Declared for GetMember {
    const NAME: &'static str = "members.get";
    const REQUIRES: Requirement = Requirement::OrganizationOrSelf(Permission::MembersRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for GetMember {
    type Output = Membership;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let access = cx.organization_about(&self.organization, Some(self.user))?;
        let now = cx.now();
        memberships::find_with_user(cx.conn(), access.org.id, self.user, now)?
            .map(Membership::from)
            .ok_or(CoreError::NotFound("member"))
    }
}
