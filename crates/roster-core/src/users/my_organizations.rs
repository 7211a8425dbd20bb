//! `users.list_my_organizations`: the caller's memberships, each with its organization, role
//! and permissions. A token scoped to one organization sees that one only.

use roster_domain::{OrgState, OrganizationId};
use roster_store::memberships::{self, MembershipRow, UserMembershipFilter};
use roster_store::OrganizationRow;
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
    type Output = Listed<(MembershipRow, OrganizationRow)>;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let caller = cx.signed_in()?.clone();
        let mut states = vec![OrgState::Active, OrgState::Inactive];
        if self.include_closed {
            states.push(OrgState::Closed);
        }
        let filter = UserMembershipFilter {
            user_id: caller.id(),
            states,
            only: caller.scope,
            now: cx.now(),
        };
        let (offset, fetch) = self.page.window();
        let after = self
            .page
            .cursor()
            .map(|c| OrganizationId::from_uuid(c.organization_id));
        let rows = memberships::list_for_user(cx.conn(), &filter, after, offset, fetch)?;
        let total = if self.page.wants_total() {
            Some(memberships::count_for_user(cx.conn(), &filter)?)
        } else {
            None
        };
        Ok(Listed { rows, total })
    }
}
