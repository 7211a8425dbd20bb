//! The `teams` table: groups of an organization's members, and `team_members`, who is in them.
//!
//! Every change locks the organization's row first ([`crate::organizations::lock`]), as
//! membership changes do: a team cannot gain a member who is leaving the organization, nor a
//! grant while it is being deleted.

use diesel::prelude::*;

use roster_domain::{OrganizationId, TeamId, TeamRole, UserId};

use crate::memberships::MemberUser;
use crate::named::{NameOrId, NamedKeyset, NamedSort};
use crate::schema::{memberships, team_members, teams};
use crate::team_grants::MemberCount;
use crate::{DbConn, DbId, JsonValue, MultiBackend, StoreError, Ts};

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = teams)]
pub struct TeamRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub id: TeamId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub organization_id: OrganizationId,
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    pub custom: JsonValue,
    pub created_at: Ts,
    pub updated_at: Ts,
}

/// A team with how many members it has (counted when read: no counter to drift).
pub type CountedTeam = (TeamRow, i64);

pub fn insert(conn: &mut DbConn, row: &TeamRow) -> Result<(), StoreError> {
    diesel::insert_into(teams::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The team `key` names in the organization, with its member count.
pub fn find(
    conn: &mut DbConn,
    organization: OrganizationId,
    key: &NameOrId,
) -> Result<Option<CountedTeam>, StoreError> {
    let mut query = teams::table
        .filter(teams::organization_id.eq(DbId::from(organization)))
        .into_boxed::<MultiBackend>();
    query = match key {
        NameOrId::Id(id) => query.filter(teams::id.eq(DbId::from(*id))),
        NameOrId::Name(name) => query.filter(teams::name.eq(name.clone())),
    };
    Ok(query
        .select((TeamRow::as_select(), MemberCount))
        .first(conn)
        .optional()?)
}

/// Which teams to list.
#[derive(Debug, Clone)]
pub struct TeamFilter {
    pub organization: OrganizationId,
    /// Only the teams this user is in.
    pub member: Option<UserId>,
}

type TeamQuery = diesel::dsl::IntoBoxed<'static, teams::table, MultiBackend>;

fn matching(filter: &TeamFilter) -> TeamQuery {
    let mut query = teams::table
        .filter(teams::organization_id.eq(DbId::from(filter.organization)))
        .into_boxed();
    if let Some(user) = filter.member {
        let theirs = team_members::table
            .filter(team_members::organization_id.eq(DbId::from(filter.organization)))
            .filter(team_members::user_id.eq(DbId::from(user)))
            .select(team_members::team_id);
        query = query.filter(teams::id.eq_any(theirs));
    }
    query
}

/// One page of an organization's teams, with their member counts.
pub fn list(
    conn: &mut DbConn,
    filter: &TeamFilter,
    sort: NamedSort,
    descending: bool,
    after: Option<&NamedKeyset>,
    offset: i64,
    limit: i64,
) -> Result<Vec<CountedTeam>, StoreError> {
    let query = crate::named_page!(matching(filter), teams, sort, descending, after);
    Ok(query
        .offset(offset)
        .limit(limit)
        .select((TeamRow::as_select(), MemberCount))
        .load(conn)?)
}

pub fn count(conn: &mut DbConn, filter: &TeamFilter) -> Result<i64, StoreError> {
    Ok(matching(filter).count().get_result(conn)?)
}

/// How many teams the organization has.
pub fn count_in(conn: &mut DbConn, organization: OrganizationId) -> Result<i64, StoreError> {
    count(
        conn,
        &TeamFilter {
            organization,
            member: None,
        },
    )
}

/// Writes a team's name, display name, description, custom data and `updated_at`.
pub fn update(conn: &mut DbConn, row: &TeamRow) -> Result<(), StoreError> {
    diesel::update(teams::table.find(DbId::from(row.id)))
        .set((
            teams::name.eq(&row.name),
            teams::display_name.eq(&row.display_name),
            teams::description.eq(&row.description),
            teams::custom.eq(&row.custom),
            teams::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes the team; its members and grants go with it (the caller has recorded them).
pub fn delete(conn: &mut DbConn, id: TeamId) -> Result<(), StoreError> {
    diesel::delete(teams::table.find(DbId::from(id))).execute(conn)?;
    Ok(())
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = team_members)]
pub struct TeamMemberRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub team_id: TeamId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub organization_id: OrganizationId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub user_id: UserId,
    #[diesel(serialize_as = String, deserialize_as = String)]
    pub role: TeamRole,
    pub created_at: Ts,
    pub updated_at: Ts,
}

pub fn add_member(conn: &mut DbConn, row: &TeamMemberRow) -> Result<(), StoreError> {
    diesel::insert_into(team_members::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find_member(
    conn: &mut DbConn,
    team: TeamId,
    user: UserId,
) -> Result<Option<TeamMemberRow>, StoreError> {
    Ok(team_members::table
        .find((DbId::from(team), DbId::from(user)))
        .select(TeamMemberRow::as_select())
        .first(conn)
        .optional()?)
}

/// The team member beside the user it shows (the membership's copies of email and name).
pub fn find_member_with_user(
    conn: &mut DbConn,
    team: TeamId,
    user: UserId,
) -> Result<Option<(TeamMemberRow, MemberUser)>, StoreError> {
    Ok(with_users(
        team_members::table
            .filter(team_members::team_id.eq(DbId::from(team)))
            .filter(team_members::user_id.eq(DbId::from(user)))
            .into_boxed(),
        conn,
    )?
    .pop())
}

pub fn set_member_role(
    conn: &mut DbConn,
    team: TeamId,
    user: UserId,
    role: TeamRole,
    at: Ts,
) -> Result<(), StoreError> {
    diesel::update(team_members::table.find((DbId::from(team), DbId::from(user))))
        .set((
            team_members::role.eq(role.as_str()),
            team_members::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn remove_member(conn: &mut DbConn, team: TeamId, user: UserId) -> Result<(), StoreError> {
    diesel::delete(team_members::table.find((DbId::from(team), DbId::from(user)))).execute(conn)?;
    Ok(())
}

/// Removes `user` from every team of the organization: the teams they were in, each with
/// their place in it (for the events).
pub fn remove_from_all(
    conn: &mut DbConn,
    organization: OrganizationId,
    user: UserId,
) -> Result<Vec<(TeamRow, TeamMemberRow)>, StoreError> {
    let theirs: Vec<(TeamRow, TeamMemberRow)> = team_members::table
        .inner_join(teams::table)
        .filter(team_members::organization_id.eq(DbId::from(organization)))
        .filter(team_members::user_id.eq(DbId::from(user)))
        .order(teams::name.asc())
        .select((TeamRow::as_select(), TeamMemberRow::as_select()))
        .load(conn)?;
    if !theirs.is_empty() {
        diesel::delete(
            team_members::table
                .filter(team_members::organization_id.eq(DbId::from(organization)))
                .filter(team_members::user_id.eq(DbId::from(user))),
        )
        .execute(conn)?;
    }
    Ok(theirs)
}

/// Every member of a team (for the events of its deletion).
pub fn members_of(conn: &mut DbConn, team: TeamId) -> Result<Vec<TeamMemberRow>, StoreError> {
    Ok(team_members::table
        .filter(team_members::team_id.eq(DbId::from(team)))
        .order((team_members::created_at.asc(), team_members::user_id.asc()))
        .select(TeamMemberRow::as_select())
        .load(conn)?)
}

type MemberQuery = diesel::dsl::IntoBoxed<'static, team_members::table, MultiBackend>;

/// Team members beside their users, from the memberships they stand on.
fn with_users(
    query: MemberQuery,
    conn: &mut DbConn,
) -> Result<Vec<(TeamMemberRow, MemberUser)>, StoreError> {
    let rows: Vec<TeamMemberRow> = query.select(TeamMemberRow::as_select()).load(conn)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let organization = rows[0].organization_id;
    let ids: Vec<DbId> = rows.iter().map(|r| DbId::from(r.user_id)).collect();
    let contacts: Vec<(DbId, String, Option<String>)> = memberships::table
        .filter(memberships::organization_id.eq(DbId::from(organization)))
        .filter(memberships::user_id.eq_any(ids))
        .select((memberships::user_id, memberships::email, memberships::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let (email, name) = contacts
                .iter()
                .find(|(id, _, _)| UserId::from(*id) == row.user_id)
                .map(|(_, email, name)| (email.clone(), name.clone()))
                .unwrap_or_default();
            let user = MemberUser {
                id: row.user_id,
                email,
                name,
            };
            (row, user)
        })
        .collect())
}

/// One page of a team's members by when they joined it (keyset on `(created_at, user_id)`).
pub fn list_members(
    conn: &mut DbConn,
    team: TeamId,
    after: Option<(Ts, UserId)>,
    offset: i64,
    limit: i64,
) -> Result<Vec<(TeamMemberRow, MemberUser)>, StoreError> {
    let mut query = team_members::table
        .filter(team_members::team_id.eq(DbId::from(team)))
        .into_boxed();
    if let Some((at, user)) = after {
        query = query.filter(
            team_members::created_at.gt(at).or(team_members::created_at
                .eq(at)
                .and(team_members::user_id.gt(DbId::from(user)))),
        );
    }
    with_users(
        query
            .order((team_members::created_at.asc(), team_members::user_id.asc()))
            .offset(offset)
            .limit(limit),
        conn,
    )
}

pub fn count_members(conn: &mut DbConn, team: TeamId) -> Result<i64, StoreError> {
    Ok(team_members::table
        .filter(team_members::team_id.eq(DbId::from(team)))
        .count()
        .get_result(conn)?)
}
