//! Listing organizations: filters, sort keys and keyset pagination.
//!
//! Keyset pagination orders by `(sort key, id)` and continues strictly after the last row
//! seen, so a page costs the same deep in the list as at its start, and rows inserted between
//! two page requests neither repeat nor hide rows already in the list.

use diesel::prelude::*;

use roster_domain::{OrgState, OrganizationId, UserId};

use crate::schema::{memberships, organizations, projects};
use crate::{DbConn, DbId, MultiBackend, OrganizationRow, StoreError, Ts};

pub use roster_domain::{Inclusion, OrgSort};

/// Whose organizations to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgScope {
    /// Those the user is a current member of.
    MemberOf(UserId),
    /// Every organization (platform admins).
    All,
}

#[derive(Debug, Clone)]
pub struct OrgFilter {
    pub scope: OrgScope,
    pub states: Vec<OrgState>,
    pub reference: Option<String>,
    pub personal: Inclusion,
    /// Organizations that have no project.
    pub without_projects: Inclusion,
    /// Prefix of the name or (case-insensitively) of the display name.
    pub prefix: Option<String>,
    /// Memberships count only while unexpired at this moment.
    pub now: Ts,
    /// Only this organization (for a token scoped to one).
    pub only: Option<OrganizationId>,
}

/// The last row of the previous page, in the terms of the sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortValue {
    Name(String),
    CreatedAt(Ts),
    Id,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyset {
    pub value: SortValue,
    pub id: OrganizationId,
}

type OrgQuery = organizations::BoxedQuery<'static, MultiBackend>;

fn filtered(filter: &OrgFilter) -> OrgQuery {
    let mut query = organizations::table.into_boxed();
    if let OrgScope::MemberOf(user_id) = filter.scope {
        let member_of = memberships::table
            .filter(memberships::user_id.eq(DbId::from(user_id)))
            .filter(crate::memberships::unexpired(filter.now))
            .select(memberships::organization_id);
        query = query.filter(organizations::id.eq_any(member_of));
    }
    if let Some(id) = filter.only {
        query = query.filter(organizations::id.eq(DbId::from(id)));
    }
    query = query.filter(organizations::state.eq_any(filter.states.iter().map(|s| s.as_str())));
    if let Some(reference) = &filter.reference {
        query = query.filter(organizations::reference.eq(reference.clone()));
    }
    query = match filter.personal {
        Inclusion::Include => query,
        Inclusion::Exclude => query.filter(organizations::personal.eq(false)),
        Inclusion::Only => query.filter(organizations::personal.eq(true)),
    };
    let with_projects = || projects::table.select(projects::organization_id).distinct();
    query = match filter.without_projects {
        Inclusion::Include => query,
        Inclusion::Exclude => query.filter(organizations::id.eq_any(with_projects())),
        Inclusion::Only => {
            query.filter(diesel::dsl::not(organizations::id.eq_any(with_projects())))
        }
    };
    if let Some(prefix) = &filter.prefix {
        let pattern = crate::like_prefix(&prefix.to_lowercase());
        query = query.filter(
            organizations::name.like(pattern.clone()).escape('\\').or(
                organizations::display_name_folded
                    .like(pattern)
                    .escape('\\'),
            ),
        );
    }
    query
}

/// Where a page starts.
#[derive(Debug, Clone)]
pub enum PageStart {
    After(Option<Keyset>),
    Offset(i64),
}

/// One page of organizations.
pub fn list(
    conn: &mut DbConn,
    filter: &OrgFilter,
    sort: OrgSort,
    descending: bool,
    start: &PageStart,
    limit: i64,
) -> Result<Vec<OrganizationRow>, StoreError> {
    let mut query = filtered(filter);
    match start {
        PageStart::After(Some(keyset)) => query = continue_after(query, keyset, descending),
        PageStart::After(None) => {}
        PageStart::Offset(offset) => query = query.offset(*offset),
    }
    query = match (sort, descending) {
        (OrgSort::Name, false) => query.order((organizations::name.asc(), organizations::id.asc())),
        (OrgSort::Name, true) => {
            query.order((organizations::name.desc(), organizations::id.desc()))
        }
        (OrgSort::CreatedAt, false) => {
            query.order((organizations::created_at.asc(), organizations::id.asc()))
        }
        (OrgSort::CreatedAt, true) => {
            query.order((organizations::created_at.desc(), organizations::id.desc()))
        }
        (OrgSort::Id, false) => query.order(organizations::id.asc()),
        (OrgSort::Id, true) => query.order(organizations::id.desc()),
    };
    Ok(query
        .limit(limit)
        .select(OrganizationRow::as_select())
        .load(conn)?)
}

fn continue_after(query: OrgQuery, keyset: &Keyset, descending: bool) -> OrgQuery {
    let id = DbId::from(keyset.id);
    match (&keyset.value, descending) {
        (SortValue::Name(name), false) => query.filter(
            organizations::name.gt(name.clone()).or(organizations::name
                .eq(name.clone())
                .and(organizations::id.gt(id))),
        ),
        (SortValue::Name(name), true) => query.filter(
            organizations::name.lt(name.clone()).or(organizations::name
                .eq(name.clone())
                .and(organizations::id.lt(id))),
        ),
        (SortValue::CreatedAt(at), false) => query.filter(
            organizations::created_at
                .gt(*at)
                .or(organizations::created_at
                    .eq(*at)
                    .and(organizations::id.gt(id))),
        ),
        (SortValue::CreatedAt(at), true) => query.filter(
            organizations::created_at
                .lt(*at)
                .or(organizations::created_at
                    .eq(*at)
                    .and(organizations::id.lt(id))),
        ),
        (SortValue::Id, false) => query.filter(organizations::id.gt(id)),
        (SortValue::Id, true) => query.filter(organizations::id.lt(id)),
    }
}

/// How many organizations match `filter` in all.
pub fn count(conn: &mut DbConn, filter: &OrgFilter) -> Result<i64, StoreError> {
    Ok(filtered(filter).count().get_result(conn)?)
}
