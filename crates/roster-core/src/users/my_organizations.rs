//! `users.list_my_organizations`: the caller's memberships, each with its organization, role
//! and permissions. A token scoped to one organization sees that one only.

use roster_domain::{OrgState, OrganizationId, UserId};
use roster_store::memberships::{self, MembershipRow, UserMembership, UserMembershipFilter};
use roster_store::users;
use serde::{Deserialize, Serialize};

use crate::pagination::{Listed, Page};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ListMyOrganizations {
    pub include_closed: bool,
    pub page: Page<MembershipCursor>,
}

/// Where the next page starts: the last organization's id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MembershipCursor {
    organization_id: uuid::Uuid,
}

impl MembershipCursor {
    pub fn after(membership: &MembershipRow) -> MembershipCursor {
        MembershipCursor {
            organization_id: membership.organization_id.as_uuid(),
        }
    }
}

impl Declared for ListMyOrganizations {
    const NAME: &'static str = "users.list_my_organizations";
    const REQUIRES: Requirement = Requirement::SignedIn;
    const KIND: Kind = Kind::Read;
}

impl Operation for ListMyOrganizations {
    type Output = Listed<UserMembership>;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let caller = cx.signed_in()?.clone();
        list(
            cx,
            caller.id(),
            caller.scope(),
            self.include_closed,
            &self.page,
        )
    }
}

/// `users.list_organizations`: another user's memberships (platform admins).
#[derive(Debug, Clone)]
pub struct ListUserOrganizations {
    pub user: UserId,
    pub include_closed: bool,
    pub page: Page<MembershipCursor>,
}

impl Declared for ListUserOrganizations {
    const NAME: &'static str = "users.list_organizations";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Read;
}

impl Operation for ListUserOrganizations {
    type Output = Listed<UserMembership>;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        if users::find(cx.conn(), self.user)?.is_none() {
            return Err(CoreError::NotFound("user"));
        }
        list(cx, self.user, None, self.include_closed, &self.page)
    }
}

fn list(
    cx: &mut Context<'_>,
    user_id: UserId,
    only: Option<OrganizationId>,
    include_closed: bool,
    page: &Page<MembershipCursor>,
) -> Result<Listed<UserMembership>, CoreError> {
    let mut states = vec![OrgState::Active, OrgState::Inactive];
    if include_closed {
        states.push(OrgState::Closed);
    }
    let filter = UserMembershipFilter {
        user_id,
        states,
        only,
        now: cx.now(),
    };
    let (offset, fetch) = page.window();
    let after = page
        .cursor()
        .map(|c| OrganizationId::from_uuid(c.organization_id));
    let rows = memberships::list_for_user(cx.conn(), &filter, after, offset, fetch)?;
    let total = if page.wants_total() {
        Some(memberships::count_for_user(cx.conn(), &filter)?)
    } else {
        None
    };
    Ok(Listed { rows, total })
}
