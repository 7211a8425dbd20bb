//! `organizations.list`: the caller's organizations (every one, for a platform admin who asks),
//! filtered, sorted, a page at a time.

use roster_domain::{OrgState, Permission, Slug};
use roster_store::organization_list::{
    self, Inclusion, Keyset, OrgFilter, OrgScope, OrgSort, PageStart, SortValue,
};
use roster_store::Ts;
use serde::{Deserialize, Serialize};

use super::view::{with_members, OrganizationView};
use super::Organization;
use crate::access::grants_in;
use crate::pagination::{Listed, Page};
use crate::standing::member_standing;
use crate::{Context, CoreError, Declared, Forbidden, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ListOrganizations {
    /// Every organization, not just the caller's (platform admins only).
    pub all: bool,
    pub states: Vec<OrgState>,
    pub reference: Option<String>,
    pub personal: Inclusion,
    /// Organizations without any project: `include` (default), `exclude` or `only`.
    pub without_projects: Inclusion,
    /// Prefix of the name, or (case-insensitively) of the display name.
    pub prefix: Option<String>,
    pub sort: OrgSort,
    pub descending: bool,
    /// Embed each organization's first members, where the caller may read them.
    pub expand_members: bool,
    pub page: Page<OrgCursor>,
}

/// Each expanded organization costs a query for its members, so expanded pages stay small.
pub const MAX_EXPANDED_PAGE: i64 = 100;

/// Where the next page starts, bound to the sort it was issued for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgCursor {
    sort: SortName,
    direction: Direction,
    /// The sort key's value in the last row (name or its time; empty for `id`).
    value: String,
    id: uuid::Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SortName {
    Name,
    CreatedAt,
    Id,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Direction {
    Asc,
    Desc,
}

impl From<OrgSort> for SortName {
    fn from(sort: OrgSort) -> SortName {
        match sort {
            OrgSort::Name => SortName::Name,
            OrgSort::CreatedAt => SortName::CreatedAt,
            OrgSort::Id => SortName::Id,
        }
    }
}

impl OrgCursor {
    /// The cursor that continues after `org` in this sort.
    pub fn after(org: &Organization, sort: OrgSort, descending: bool) -> OrgCursor {
        let value = match sort {
            OrgSort::Name => org.name.clone(),
            OrgSort::CreatedAt => Ts(org.created_at).to_sqlite_text(),
            OrgSort::Id => String::new(),
        };
        OrgCursor {
            sort: sort.into(),
            direction: if descending {
                Direction::Desc
            } else {
                Direction::Asc
            },
            value,
            id: org.id.as_uuid(),
        }
    }

    fn keyset(&self, sort: OrgSort, descending: bool) -> Result<Keyset, CoreError> {
        let direction = if descending {
            Direction::Desc
        } else {
            Direction::Asc
        };
        if self.sort != SortName::from(sort) || self.direction != direction {
            return Err(CoreError::BadRequest(
                "this cursor belongs to another sort or direction".into(),
            ));
        }
        let invalid = || CoreError::BadRequest("after is not a cursor this endpoint issued".into());
        let value = match self.sort {
            // Only a name can continue a name sort; anything else was never issued here.
            SortName::Name if Slug::parse(&self.value).is_ok() => {
                SortValue::Name(self.value.clone())
            }
            SortName::Name => return Err(invalid()),
            SortName::CreatedAt => {
                let at =
                    chrono::DateTime::parse_from_rfc3339(&self.value).map_err(|_| invalid())?;
                SortValue::CreatedAt(
                    Ts::checked(at.with_timezone(&chrono::Utc)).ok_or_else(invalid)?,
                )
            }
            SortName::Id => SortValue::Id,
        };
        Ok(Keyset {
            value,
            id: roster_domain::OrganizationId::from_uuid(self.id),
        })
    }
}

impl Declared for ListOrganizations {
    const NAME: &'static str = "organizations.list";
    const REQUIRES: Requirement = Requirement::SignedIn;
    const KIND: Kind = Kind::Read;
}

impl Operation for ListOrganizations {
    type Output = Listed<OrganizationView>;

    fn run(self, cx: &mut Context<'_>) -> Result<Listed<OrganizationView>, CoreError> {
        if self.expand_members && self.page.size() > MAX_EXPANDED_PAGE {
            return Err(CoreError::BadRequest(format!(
                "with expand=members a page holds at most {MAX_EXPANDED_PAGE} organizations"
            )));
        }
        let caller = cx.signed_in()?.clone();
        let scope = if self.all {
            if !caller.is_platform_admin() {
                return Err(CoreError::forbidden(Forbidden::Policy(
                    "scope=all is for platform admins",
                )));
            }
            OrgScope::All
        } else {
            OrgScope::MemberOf(caller.id())
        };
        let filter = OrgFilter {
            scope,
            states: self.states,
            reference: self.reference,
            personal: self.personal,
            without_projects: self.without_projects,
            prefix: self.prefix,
            now: cx.now(),
            // A token scoped to one organization sees that one only.
            only: caller.scope(),
        };
        let (offset, fetch) = self.page.window();
        let start = match &self.page {
            Page::Cursor { after, .. } => PageStart::After(
                after
                    .as_ref()
                    .map(|c| c.keyset(self.sort, self.descending))
                    .transpose()?,
            ),
            Page::Number { .. } => PageStart::Offset(offset),
        };
        let rows = organization_list::list(
            cx.conn(),
            &filter,
            self.sort,
            self.descending,
            &start,
            fetch,
        )?;
        let total = if self.page.wants_total() {
            Some(organization_list::count(cx.conn(), &filter)?)
        } else {
            None
        };
        let mut listed = Vec::with_capacity(rows.len());
        for row in rows {
            let now = cx.now();
            let org = Organization::from(row);
            let view = if self.expand_members && may_read_members(cx, &caller, &org)? {
                with_members(cx.conn(), org, now)?
            } else {
                OrganizationView::plain(org)
            };
            listed.push(view);
        }
        Ok(Listed {
            rows: listed,
            total,
        })
    }
}

/// `expand=members` embeds members only where the caller holds `members:read`.
fn may_read_members(
    cx: &mut Context<'_>,
    caller: &crate::Caller,
    org: &Organization,
) -> Result<bool, CoreError> {
    let now = cx.now();
    let (membership, custom_role) = member_standing(cx.conn(), org.id, caller.id(), now)?;
    let grants = grants_in(caller, org, membership.as_ref(), custom_role.as_ref());
    Ok(grants.has(Permission::MembersRead))
}
