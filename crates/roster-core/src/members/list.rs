//! `members.list`: an organization's current members, filtered by role, sorted by when they
//! joined or by email, a page at a time (keyset in cursor mode: the last page of a large
//! organization costs what the first does).

use crate::members::Membership;
use roster_domain::MemberSort;
use roster_domain::OrgKey;
use roster_domain::{Permission, Role, UserId};
use roster_store::memberships::{self, MemberFilter, MemberKeyset};
use roster_store::Ts;
use serde::{Deserialize, Serialize};

use crate::pagination::{Listed, Page};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ListMembers {
    pub organization: OrgKey,
    /// Only members with this role.
    pub role: Option<Role>,
    pub sort: MemberSort,
    pub descending: bool,
    pub page: Page<MemberCursor>,
}

/// Where the next page starts: bound to its organization, sort and direction.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MemberCursor {
    organization: uuid::Uuid,
    sort: String,
    descending: bool,
    /// The sort key's value in the last row (its time, or its email).
    value: String,
    user: uuid::Uuid,
}

fn sort_name(sort: MemberSort) -> &'static str {
    match sort {
        MemberSort::CreatedAt => "created_at",
        MemberSort::Email => "email",
    }
}

impl MemberCursor {
    /// The cursor that continues after `member` in this sort.
    pub fn after(member: &Membership, sort: MemberSort, descending: bool) -> MemberCursor {
        MemberCursor {
            organization: member.organization_id.as_uuid(),
            sort: sort_name(sort).to_owned(),
            descending,
            value: match sort {
                MemberSort::CreatedAt => Ts(member.created_at).to_sqlite_text(),
                MemberSort::Email => member.user.email.clone(),
            },
            user: member.user.id.as_uuid(),
        }
    }

    fn keyset(
        &self,
        organization: roster_domain::OrganizationId,
        sort: MemberSort,
        descending: bool,
    ) -> Result<MemberKeyset, CoreError> {
        if self.organization != organization.as_uuid() {
            return Err(CoreError::BadRequest(
                "this cursor belongs to another organization's list".into(),
            ));
        }
        if self.sort != sort_name(sort) || self.descending != descending {
            return Err(CoreError::BadRequest(
                "this cursor belongs to another sort or direction".into(),
            ));
        }
        let user = UserId::from_uuid(self.user);
        Ok(match sort {
            MemberSort::CreatedAt => {
                let at = chrono::DateTime::parse_from_rfc3339(&self.value)
                    .ok()
                    .and_then(|at| Ts::checked(at.with_timezone(&chrono::Utc)))
                    .ok_or_else(|| {
                        CoreError::BadRequest("after is not a cursor this endpoint issued".into())
                    })?;
                MemberKeyset::CreatedAt(at, user)
            }
            MemberSort::Email => MemberKeyset::Email(self.value.clone(), user),
        })
    }
}

impl Declared for ListMembers {
    const NAME: &'static str = "members.list";
    const REQUIRES: Requirement = Requirement::Organization(Permission::MembersRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for ListMembers {
    type Output = Listed<Membership>;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let access = cx.organization(&self.organization)?;
        let filter = MemberFilter {
            organization_id: access.org.id,
            role: self.role.map(|r| r.as_str().to_owned()),
            now: cx.now(),
        };
        let keyset = self
            .page
            .cursor()
            .map(|c| c.keyset(access.org.id, self.sort, self.descending))
            .transpose()?;
        let (offset, fetch) = self.page.window();
        let rows = memberships::list(
            cx.conn(),
            &filter,
            self.sort,
            self.descending,
            keyset.as_ref(),
            offset,
            fetch,
        )?;
        let total = if self.page.wants_total() {
            Some(memberships::count(cx.conn(), &filter)?)
        } else {
            None
        };
        Ok(Listed { rows, total }.map(Membership::from))
    }
}
