//! `users.list_my_organizations`: the caller's memberships, each with its organization, role
//! and permissions. A token scoped to one organization sees that one only; an organization API
//! key sees its organization, with its own role and what it may do there (never its maker's).

use roster_domain::{OrgState, OrganizationId, UserId};
use roster_store::memberships::{self, UserMembership, UserMembershipFilter};
use roster_store::users;
use serde::{Deserialize, Serialize};

use crate::access::{grants_in, member_grants};
use crate::members::Membership;
use crate::organizations::Organization;
use crate::pagination::{Listed, Page};
use crate::roles::RoleView;
use crate::{Caller, Context, CoreError, Declared, Kind, Operation, Requirement};

/// A membership as the credential that asks sees it.
#[derive(Debug, Clone)]
pub struct MyMembership {
    pub membership: Membership,
    pub organization: Organization,
    /// The role there: the membership's, or an organization key's own.
    pub role: String,
    /// The application tags: the membership's, or an organization key's own.
    pub permissions: Vec<String>,
    /// What the credential may do there (catalogue permissions and tags).
    pub effective_permissions: Vec<String>,
}

impl MyMembership {
    /// As the member itself sees it, or a platform admin looking at it.
    fn of_member(row: UserMembership) -> MyMembership {
        let (membership, organization, custom_role) = read(row);
        MyMembership {
            role: membership.role.as_str().to_owned(),
            permissions: membership.permissions.clone(),
            effective_permissions: member_grants(Some(&membership), custom_role.as_ref())
                .to_strings(),
            membership,
            organization,
        }
    }

    /// As `caller` sees it: an organization key shows its own role and tags, and what it may do
    /// (its grants within its maker's).
    fn as_seen_by(caller: &Caller, row: UserMembership) -> MyMembership {
        let Some(checked) = caller.organization_key() else {
            return MyMembership::of_member(row);
        };
        let (membership, organization, custom_role) = read(row);
        let grants = grants_in(
            caller,
            &organization,
            Some(&membership),
            custom_role.as_ref(),
        );
        MyMembership {
            role: checked.key.role.clone().unwrap_or_default(),
            permissions: checked.key.permissions.clone(),
            effective_permissions: grants.to_strings(),
            membership,
            organization,
        }
    }
}

/// A membership row with its organization and custom role, as roster-core types.
fn read(
    (membership, organization, custom_role): UserMembership,
) -> (Membership, Organization, Option<RoleView>) {
    (
        membership.into(),
        organization.into(),
        custom_role.map(RoleView::from),
    )
}

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
    pub fn after(mine: &MyMembership) -> MembershipCursor {
        MembershipCursor {
            organization_id: mine.membership.organization_id.as_uuid(),
        }
    }
}

impl Declared for ListMyOrganizations {
    const NAME: &'static str = "users.list_my_organizations";
    const REQUIRES: Requirement = Requirement::SignedIn;
    const KIND: Kind = Kind::Read;
}

impl Operation for ListMyOrganizations {
    type Output = Listed<MyMembership>;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let caller = cx.signed_in()?.clone();
        let listed = list(
            cx,
            caller.id(),
            caller.scope(),
            self.include_closed,
            &self.page,
        )?;
        Ok(listed.map(|row| MyMembership::as_seen_by(&caller, row)))
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
    type Output = Listed<MyMembership>;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        if users::find(cx.conn(), self.user)?.is_none() {
            return Err(CoreError::NotFound("user"));
        }
        let listed = list(cx, self.user, None, self.include_closed, &self.page)?;
        Ok(listed.map(MyMembership::of_member))
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
