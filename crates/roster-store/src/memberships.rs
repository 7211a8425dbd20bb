//! The `memberships` table: who belongs to which organization, with which role.
//!
//! Every change to an organization's memberships locks the organization's row first
//! ([`crate::organizations::lock`]); that one lock orders the writers that must not race (the
//! last owner, the member limit) on Postgres, as SQLite's single writer does.

use diesel::prelude::*;

use roster_domain::{OrgState, OrganizationId, Role, UserId, UserState};

use crate::roles::RoleRow;
use crate::schema::{memberships, organizations, roles, users};
use crate::{DbConn, DbId, JsonValue, MultiBackend, OrganizationRow, StoreError, Ts};

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = memberships)]
pub struct MembershipRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub organization_id: OrganizationId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub user_id: UserId,
    #[diesel(serialize_as = String, deserialize_as = String)]
    pub role: Role,
    /// Extra application-defined permission tags.
    #[diesel(serialize_as = JsonValue, deserialize_as = JsonValue)]
    pub permissions: Vec<String>,
    pub expires_at: Option<Ts>,
    pub created_at: Ts,
    pub updated_at: Ts,
    /// The member's email, kept in step with the user's (for the list sorted by email).
    pub email: String,
    /// The member's name, kept in step with the user's (so that a page of members needs no
    /// look-up of each member's user).
    pub name: Option<String>,
}

/// The part of a user a membership shows: the membership's copies of the user's email and name.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberUser {
    pub id: UserId,
    pub email: String,
    pub name: Option<String>,
}

impl MemberUser {
    pub fn of(membership: &MembershipRow) -> Self {
        MemberUser {
            id: membership.user_id,
            email: membership.email.clone(),
            name: membership.name.clone(),
        }
    }
}

/// A membership beside the user it shows.
fn with_user(membership: MembershipRow) -> (MembershipRow, MemberUser) {
    let user = MemberUser::of(&membership);
    (membership, user)
}

pub fn insert(conn: &mut DbConn, row: &MembershipRow) -> Result<(), StoreError> {
    diesel::insert_into(memberships::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Memberships that still grant something at `now` (no expiry, or expiring later).
#[diesel::dsl::auto_type(no_type_alias)]
pub fn unexpired(now: Ts) -> _ {
    memberships::expires_at
        .is_null()
        .or(memberships::expires_at.gt(now))
}

/// The user's membership in the organization, unless it has expired by `now`.
pub fn find_current(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    user_id: UserId,
    now: Ts,
) -> Result<Option<MembershipRow>, StoreError> {
    Ok(memberships::table
        .find((DbId::from(organization_id), DbId::from(user_id)))
        .filter(unexpired(now))
        .select(MembershipRow::as_select())
        .first(conn)
        .optional()?)
}

/// The same, with the member's user (for rendering a membership).
pub fn find_with_user(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    user_id: UserId,
    now: Ts,
) -> Result<Option<(MembershipRow, MemberUser)>, StoreError> {
    Ok(find_current(conn, organization_id, user_id, now)?.map(with_user))
}

/// Writes a membership's role, tags, expiry and `updated_at`.
pub fn update(conn: &mut DbConn, row: &MembershipRow) -> Result<(), StoreError> {
    diesel::update(
        memberships::table.find((DbId::from(row.organization_id), DbId::from(row.user_id))),
    )
    .set((
        memberships::role.eq(row.role.as_str()),
        memberships::permissions.eq(JsonValue::from(row.permissions.clone())),
        memberships::expires_at.eq(row.expires_at),
        memberships::updated_at.eq(row.updated_at),
    ))
    .execute(conn)?;
    Ok(())
}

/// Deletes a membership; whether there was one.
pub fn delete(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    user_id: UserId,
) -> Result<bool, StoreError> {
    let deleted =
        diesel::delete(memberships::table.find((DbId::from(organization_id), DbId::from(user_id))))
            .execute(conn)?;
    Ok(deleted > 0)
}

/// Every membership of `user_id` (expired ones too), in organization id order: the order in
/// which the organizations are locked.
pub fn of_user(conn: &mut DbConn, user_id: UserId) -> Result<Vec<MembershipRow>, StoreError> {
    Ok(memberships::table
        .filter(memberships::user_id.eq(DbId::from(user_id)))
        .order(memberships::organization_id.asc())
        .select(MembershipRow::as_select())
        .load(conn)?)
}

/// Current owners whose accounts are active: who can still act as an owner.
pub fn count_active_owners(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    now: Ts,
) -> Result<i64, StoreError> {
    Ok(memberships::table
        .inner_join(users::table)
        .filter(memberships::organization_id.eq(DbId::from(organization_id)))
        .filter(memberships::role.eq(Role::Owner.as_str()))
        .filter(unexpired(now))
        .filter(users::state.eq(UserState::Active.as_str()))
        .count()
        .get_result(conn)?)
}

/// How many memberships hold the role `key` (a role in use cannot be deleted).
pub fn count_with_role(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    key: &str,
) -> Result<i64, StoreError> {
    Ok(memberships::table
        .filter(memberships::organization_id.eq(DbId::from(organization_id)))
        .filter(memberships::role.eq(key))
        .count()
        .get_result(conn)?)
}

/// Keeps the copies of a user's email and name in step with the user's (same transaction).
pub fn set_contact(
    conn: &mut DbConn,
    user_id: UserId,
    email: &str,
    name: Option<&str>,
) -> Result<(), StoreError> {
    diesel::update(memberships::table.filter(memberships::user_id.eq(DbId::from(user_id))))
        .set((memberships::email.eq(email), memberships::name.eq(name)))
        .execute(conn)?;
    Ok(())
}

/// Up to `limit` memberships whose `expires_at` has passed, oldest expiry first.
pub fn expired(conn: &mut DbConn, now: Ts, limit: i64) -> Result<Vec<MembershipRow>, StoreError> {
    Ok(memberships::table
        .filter(memberships::expires_at.le(now))
        .order(memberships::expires_at.asc())
        .limit(limit)
        .select(MembershipRow::as_select())
        .load(conn)?)
}

/// The memberships of one organization whose `expires_at` has passed.
pub fn expired_in(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    now: Ts,
) -> Result<Vec<MembershipRow>, StoreError> {
    Ok(memberships::table
        .filter(memberships::organization_id.eq(DbId::from(organization_id)))
        .filter(memberships::expires_at.le(now))
        .select(MembershipRow::as_select())
        .load(conn)?)
}

/// The organizations where `user_id` is a current owner, by id.
pub fn owned_organizations(
    conn: &mut DbConn,
    user_id: UserId,
    now: Ts,
) -> Result<Vec<OrganizationId>, StoreError> {
    let ids: Vec<DbId> = memberships::table
        .filter(memberships::user_id.eq(DbId::from(user_id)))
        .filter(memberships::role.eq(Role::Owner.as_str()))
        .filter(unexpired(now))
        .order(memberships::organization_id.asc())
        .select(memberships::organization_id)
        .load(conn)?;
    Ok(ids.into_iter().map(OrganizationId::from).collect())
}

/// The open organizations where `user_id` is a current owner and no other active owner is
/// left: those a platform admin must repair after disabling the user.
pub fn solely_owned(
    conn: &mut DbConn,
    user_id: UserId,
    now: Ts,
) -> Result<Vec<OrganizationRow>, StoreError> {
    let owned: Vec<OrganizationRow> = memberships::table
        .inner_join(organizations::table)
        .filter(memberships::user_id.eq(DbId::from(user_id)))
        .filter(memberships::role.eq(Role::Owner.as_str()))
        .filter(unexpired(now))
        .filter(organizations::state.ne(OrgState::Closed.as_str()))
        .order(organizations::id.asc())
        .select(OrganizationRow::as_select())
        .load(conn)?;
    let mut alone = Vec::new();
    for org in owned {
        let others = memberships::table
            .inner_join(users::table)
            .filter(memberships::organization_id.eq(DbId::from(org.id)))
            .filter(memberships::user_id.ne(DbId::from(user_id)))
            .filter(memberships::role.eq(Role::Owner.as_str()))
            .filter(unexpired(now))
            .filter(users::state.eq(UserState::Active.as_str()))
            .count()
            .get_result::<i64>(conn)?;
        if others == 0 {
            alone.push(org);
        }
    }
    Ok(alone)
}

/// The first `limit` current members of an organization, oldest membership first.
pub fn list_for_organization(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    now: Ts,
    limit: i64,
) -> Result<Vec<(MembershipRow, MemberUser)>, StoreError> {
    let filter = MemberFilter {
        organization_id,
        role: None,
        now,
    };
    list(conn, &filter, MemberSort::CreatedAt, false, None, 0, limit)
}

/// Which members of an organization to list.
#[derive(Debug, Clone)]
pub struct MemberFilter {
    pub organization_id: OrganizationId,
    /// Only members with this role.
    pub role: Option<String>,
    /// Memberships count only while unexpired at this moment.
    pub now: Ts,
}

pub use roster_domain::MemberSort;

/// The last row of the previous page, in the terms of the sort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberKeyset {
    CreatedAt(Ts, UserId),
    Email(String, UserId),
}

type MemberQuery = diesel::dsl::IntoBoxed<'static, memberships::table, MultiBackend>;

fn members_matching(filter: &MemberFilter) -> MemberQuery {
    let mut query = memberships::table
        .filter(memberships::organization_id.eq(DbId::from(filter.organization_id)))
        .filter(unexpired(filter.now))
        .into_boxed();
    if let Some(role) = &filter.role {
        query = query.filter(memberships::role.eq(role.clone()));
    }
    query
}

/// One page of an organization's current members: after `after` (keyset, with an index on
/// either sort, so every page costs the same) or at `offset`.
pub fn list(
    conn: &mut DbConn,
    filter: &MemberFilter,
    sort: MemberSort,
    descending: bool,
    after: Option<&MemberKeyset>,
    offset: i64,
    limit: i64,
) -> Result<Vec<(MembershipRow, MemberUser)>, StoreError> {
    let mut query = members_matching(filter);
    if let Some(keyset) = after {
        query = continue_after(query, keyset, descending);
    }
    query = match (sort, descending) {
        (MemberSort::CreatedAt, false) => {
            query.order((memberships::created_at.asc(), memberships::user_id.asc()))
        }
        (MemberSort::CreatedAt, true) => {
            query.order((memberships::created_at.desc(), memberships::user_id.desc()))
        }
        (MemberSort::Email, false) => {
            query.order((memberships::email.asc(), memberships::user_id.asc()))
        }
        (MemberSort::Email, true) => {
            query.order((memberships::email.desc(), memberships::user_id.desc()))
        }
    };
    let page: Vec<MembershipRow> = query
        .offset(offset)
        .limit(limit)
        .select(MembershipRow::as_select())
        .load(conn)?;
    Ok(page.into_iter().map(with_user).collect())
}

/// Strictly after the keyset. The first condition (`>=` on the sort column) is what an index
/// range scan starts from; the second drops the rows of the same value already seen.
fn continue_after(query: MemberQuery, keyset: &MemberKeyset, descending: bool) -> MemberQuery {
    match (keyset, descending) {
        (MemberKeyset::CreatedAt(at, user), false) => {
            query.filter(memberships::created_at.ge(*at)).filter(
                memberships::created_at
                    .gt(*at)
                    .or(memberships::user_id.gt(DbId::from(*user))),
            )
        }
        (MemberKeyset::CreatedAt(at, user), true) => {
            query.filter(memberships::created_at.le(*at)).filter(
                memberships::created_at
                    .lt(*at)
                    .or(memberships::user_id.lt(DbId::from(*user))),
            )
        }
        (MemberKeyset::Email(email, user), false) => {
            query.filter(memberships::email.ge(email.clone())).filter(
                memberships::email
                    .gt(email.clone())
                    .or(memberships::user_id.gt(DbId::from(*user))),
            )
        }
        (MemberKeyset::Email(email, user), true) => {
            query.filter(memberships::email.le(email.clone())).filter(
                memberships::email
                    .lt(email.clone())
                    .or(memberships::user_id.lt(DbId::from(*user))),
            )
        }
    }
}

/// How many current members `filter` selects.
pub fn count(conn: &mut DbConn, filter: &MemberFilter) -> Result<i64, StoreError> {
    Ok(members_matching(filter).count().get_result(conn)?)
}

type UserMemberships = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::InnerJoin<memberships::table, organizations::table>,
    MultiBackend,
>;

/// Which of a user's memberships to list.
#[derive(Debug, Clone)]
pub struct UserMembershipFilter {
    pub user_id: UserId,
    /// Organizations in one of these states.
    pub states: Vec<OrgState>,
    /// Only this organization (a token scoped to one sees no other).
    pub only: Option<OrganizationId>,
    /// Memberships count only while unexpired at this moment.
    pub now: Ts,
}

/// The user's unexpired memberships that `filter` selects.
fn current_of_user(filter: &UserMembershipFilter) -> UserMemberships {
    let mut query = memberships::table
        .inner_join(organizations::table)
        .filter(memberships::user_id.eq(DbId::from(filter.user_id)))
        .filter(unexpired(filter.now))
        .filter(organizations::state.eq_any(filter.states.iter().map(|s| s.as_str())))
        .into_boxed();
    if let Some(only) = filter.only {
        query = query.filter(memberships::organization_id.eq(DbId::from(only)));
    }
    query
}

/// A membership with its organization and, for a custom role, that role.
pub type UserMembership = (MembershipRow, OrganizationRow, Option<RoleRow>);

/// One page of a user's current memberships with their organizations, keyed by organization id.
pub fn list_for_user(
    conn: &mut DbConn,
    filter: &UserMembershipFilter,
    after: Option<OrganizationId>,
    offset: i64,
    limit: i64,
) -> Result<Vec<UserMembership>, StoreError> {
    let mut query = current_of_user(filter);
    if let Some(last) = after {
        query = query.filter(memberships::organization_id.gt(DbId::from(last)));
    }
    let page: Vec<(MembershipRow, OrganizationRow)> = query
        .order(memberships::organization_id.asc())
        .offset(offset)
        .limit(limit)
        .select((MembershipRow::as_select(), OrganizationRow::as_select()))
        .load(conn)?;
    // Custom roles of the page, in one more query (most memberships have a built-in role).
    let custom: Vec<(DbId, String)> = page
        .iter()
        .filter(|(m, _)| !m.role.is_builtin())
        .map(|(m, _)| (DbId::from(m.organization_id), m.role.as_str().to_owned()))
        .collect();
    let roles: Vec<RoleRow> = if custom.is_empty() {
        Vec::new()
    } else {
        let orgs: Vec<DbId> = custom.iter().map(|(org, _)| *org).collect();
        roles::table
            .filter(roles::organization_id.eq_any(orgs))
            .select(RoleRow::as_select())
            .load(conn)?
    };
    Ok(page
        .into_iter()
        .map(|(membership, org)| {
            let role = roles
                .iter()
                .find(|r| r.organization_id == org.id && r.key == membership.role.as_str())
                .cloned();
            (membership, org, role)
        })
        .collect())
}

/// How many current memberships `filter` selects.
pub fn count_for_user(conn: &mut DbConn, filter: &UserMembershipFilter) -> Result<i64, StoreError> {
    Ok(current_of_user(filter).count().get_result(conn)?)
}
