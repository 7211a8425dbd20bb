//! The `memberships` table: who belongs to which organization, with which role.

use diesel::prelude::*;

use roster_domain::{OrgState, OrganizationId, Role, UserId};

use crate::schema::{memberships, organizations, users};
use crate::{DbConn, DbId, JsonValue, OrganizationRow, StoreError, Ts};

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = memberships)]
pub struct MembershipRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub organization_id: OrganizationId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub user_id: UserId,
    #[diesel(serialize_as = String, deserialize_as = String)]
    pub role: Role,
    /// Extra application-defined permission tags, a JSON array of strings.
    pub permissions: JsonValue,
    pub expires_at: Option<Ts>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

/// The part of a user a membership shows.
#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = users)]
pub struct MemberUser {
    #[diesel(deserialize_as = DbId)]
    pub id: UserId,
    pub email: String,
    pub name: Option<String>,
}

pub fn insert(conn: &mut DbConn, row: &MembershipRow) -> Result<(), StoreError> {
    diesel::insert_into(memberships::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
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

/// The first `limit` current members of an organization, oldest membership first.
pub fn list_for_organization(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    now: Ts,
    limit: i64,
) -> Result<Vec<(MembershipRow, MemberUser)>, StoreError> {
    Ok(memberships::table
        .inner_join(users::table)
        .filter(memberships::organization_id.eq(DbId::from(organization_id)))
        .filter(unexpired(now))
        .order((memberships::created_at.asc(), memberships::user_id.asc()))
        .limit(limit)
        .select((MembershipRow::as_select(), MemberUser::as_select()))
        .load(conn)?)
}

/// Memberships that still grant something at `now` (no expiry, or expiring later).
#[diesel::dsl::auto_type(no_type_alias)]
pub fn unexpired(now: Ts) -> _ {
    memberships::expires_at
        .is_null()
        .or(memberships::expires_at.gt(now))
}

type UserMemberships = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::InnerJoin<memberships::table, organizations::table>,
    crate::MultiBackend,
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

/// One page of a user's current memberships with their organizations, keyed by organization id.
pub fn list_for_user(
    conn: &mut DbConn,
    filter: &UserMembershipFilter,
    after: Option<OrganizationId>,
    offset: i64,
    limit: i64,
) -> Result<Vec<(MembershipRow, OrganizationRow)>, StoreError> {
    let mut query = current_of_user(filter);
    if let Some(last) = after {
        query = query.filter(memberships::organization_id.gt(DbId::from(last)));
    }
    Ok(query
        .order(memberships::organization_id.asc())
        .offset(offset)
        .limit(limit)
        .select((MembershipRow::as_select(), OrganizationRow::as_select()))
        .load(conn)?)
}

/// How many current memberships `filter` selects.
pub fn count_for_user(conn: &mut DbConn, filter: &UserMembershipFilter) -> Result<i64, StoreError> {
    Ok(current_of_user(filter).count().get_result(conn)?)
}
