//! The `projects` table and `project_grants`, what each project grants which team; and the
//! one query that resolves a user's access to projects.
//!
//! A user's access level to a project is the highest of: what their role gives (decided by the
//! caller, from the membership it has loaded), each grant to a team they are in, and `reader`
//! for an organization-visible project. The grants part is a column of the query that reads the
//! project, so a project and the user's standing in it cost one round trip, for one project or
//! a page of them.

use diesel::prelude::*;

use roster_domain::{AccessLevel, OrganizationId, ProjectId, ProjectVisibility, TeamId, UserId};

use crate::named::{NameOrId, NamedKeyset, NamedSort};
use crate::schema::{project_grants, projects, teams};
use crate::team_grants::{NoTeamAccess, Reaches, TeamAccess};
use crate::{DbConn, DbId, JsonValue, MultiBackend, StoreError, Ts};

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = projects)]
pub struct ProjectRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub id: ProjectId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub organization_id: OrganizationId,
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    #[diesel(serialize_as = String, deserialize_as = String)]
    pub visibility: ProjectVisibility,
    pub custom: JsonValue,
    pub created_at: Ts,
    pub updated_at: Ts,
}

/// A project beside the highest level its grants give one user through their teams.
pub type ProjectWithTeamAccess = (ProjectRow, Option<AccessLevel>);

/// The nil id names nobody: a filter on the teams of no one matches nothing.
fn nobody_or(user: Option<UserId>) -> DbId {
    user.map_or(DbId::from(uuid::Uuid::nil()), DbId::from)
}

fn level(rank: Option<i32>) -> Option<AccessLevel> {
    rank.and_then(AccessLevel::from_rank)
}

pub fn insert(conn: &mut DbConn, row: &ProjectRow) -> Result<(), StoreError> {
    diesel::insert_into(projects::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The project `key` names in the organization, with the access `user`'s teams give to it
/// (`None`: no teams are read).
pub fn find(
    conn: &mut DbConn,
    organization: OrganizationId,
    key: &NameOrId,
    user: Option<UserId>,
) -> Result<Option<ProjectWithTeamAccess>, StoreError> {
    let mut query = projects::table
        .filter(projects::organization_id.eq(DbId::from(organization)))
        .into_boxed::<MultiBackend>();
    query = match key {
        NameOrId::Id(id) => query.filter(projects::id.eq(DbId::from(*id))),
        NameOrId::Name(name) => query.filter(projects::name.eq(name.clone())),
    };
    let found: Option<(ProjectRow, Option<i32>)> = match user {
        Some(user) => query
            .select((ProjectRow::as_select(), TeamAccess { user: user.into() }))
            .first(conn)
            .optional()?,
        None => query
            .select((ProjectRow::as_select(), NoTeamAccess))
            .first(conn)
            .optional()?,
    };
    Ok(found.map(|(row, rank)| (row, level(rank))))
}

/// Which projects someone reaches: by their role's reach, and through whose teams (`None`:
/// nobody's, as for an API key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sight {
    pub reach: Reach,
    pub user: Option<UserId>,
}

impl Sight {
    fn condition(self) -> Reaches {
        Reaches {
            reach: self.reach,
            user: nobody_or(self.user),
        }
    }
}

/// Which projects of an organization a list shows: those its holder reaches (with the access
/// the holder's teams give to each), and that the one asking (when it is someone else) reaches
/// too: another member's list never names a project the asker may not see.
#[derive(Debug, Clone)]
pub struct ProjectFilter {
    pub organization: OrganizationId,
    pub holder: Sight,
    pub asker: Option<Sight>,
}

/// What the lister reaches apart from its team grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every project (its role gives `owner`).
    Everything,
    /// Organization-visible projects and those granted to its teams (a member).
    Visible,
    /// Only what its teams are granted (nothing, without teams).
    Granted,
}

type ProjectQuery = diesel::dsl::IntoBoxed<'static, projects::table, MultiBackend>;

fn matching(filter: &ProjectFilter) -> ProjectQuery {
    let mut query = projects::table
        .filter(projects::organization_id.eq(DbId::from(filter.organization)))
        .into_boxed();
    for sight in std::iter::once(filter.holder).chain(filter.asker) {
        if sight.reach != Reach::Everything {
            query = query.filter(sight.condition());
        }
    }
    query
}

/// One page of the projects `filter` reaches, each with the access its user's teams give.
pub fn list(
    conn: &mut DbConn,
    filter: &ProjectFilter,
    sort: NamedSort,
    descending: bool,
    after: Option<&NamedKeyset>,
    offset: i64,
    limit: i64,
) -> Result<Vec<ProjectWithTeamAccess>, StoreError> {
    let query = crate::named_page!(matching(filter), projects, sort, descending, after)
        .offset(offset)
        .limit(limit);
    let rows: Vec<(ProjectRow, Option<i32>)> = match (filter.holder.reach, filter.holder.user) {
        (Reach::Everything, _) | (_, None) => query
            .select((ProjectRow::as_select(), NoTeamAccess))
            .load(conn)?,
        (_, Some(user)) => query
            .select((ProjectRow::as_select(), TeamAccess { user: user.into() }))
            .load(conn)?,
    };
    Ok(rows
        .into_iter()
        .map(|(row, rank)| (row, level(rank)))
        .collect())
}

pub fn count(conn: &mut DbConn, filter: &ProjectFilter) -> Result<i64, StoreError> {
    Ok(matching(filter).count().get_result(conn)?)
}

/// How many projects the organization has.
pub fn count_in(conn: &mut DbConn, organization: OrganizationId) -> Result<i64, StoreError> {
    Ok(projects::table
        .filter(projects::organization_id.eq(DbId::from(organization)))
        .count()
        .get_result(conn)?)
}

/// Writes a project's name, display name, description, visibility, custom data, `updated_at`.
pub fn update(conn: &mut DbConn, row: &ProjectRow) -> Result<(), StoreError> {
    diesel::update(projects::table.find(DbId::from(row.id)))
        .set((
            projects::name.eq(&row.name),
            projects::display_name.eq(&row.display_name),
            projects::description.eq(&row.description),
            projects::visibility.eq(row.visibility.as_str()),
            projects::custom.eq(&row.custom),
            projects::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes the project; its grants go with it (the caller has recorded them).
pub fn delete(conn: &mut DbConn, id: ProjectId) -> Result<(), StoreError> {
    diesel::delete(projects::table.find(DbId::from(id))).execute(conn)?;
    Ok(())
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = project_grants)]
pub struct GrantRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub project_id: ProjectId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub team_id: TeamId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub organization_id: OrganizationId,
    #[diesel(serialize_as = i32, deserialize_as = i32)]
    pub access: AccessLevel,
    pub created_at: Ts,
    pub updated_at: Ts,
}

/// A grant beside the team and project it joins, by id and name.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedGrant {
    pub grant: GrantRow,
    pub team_name: String,
    pub project_name: String,
}

/// Grants read beside their team's and project's names.
fn named(rows: Vec<(GrantRow, String, String)>) -> Vec<NamedGrant> {
    rows.into_iter()
        .map(|(grant, team_name, project_name)| NamedGrant {
            grant,
            team_name,
            project_name,
        })
        .collect()
}

pub fn find_grant(
    conn: &mut DbConn,
    project: ProjectId,
    team: TeamId,
) -> Result<Option<GrantRow>, StoreError> {
    Ok(project_grants::table
        .find((DbId::from(project), DbId::from(team)))
        .select(GrantRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_grant(conn: &mut DbConn, row: &GrantRow) -> Result<(), StoreError> {
    diesel::insert_into(project_grants::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn set_grant(
    conn: &mut DbConn,
    project: ProjectId,
    team: TeamId,
    access: AccessLevel,
    at: Ts,
) -> Result<(), StoreError> {
    diesel::update(project_grants::table.find((DbId::from(project), DbId::from(team))))
        .set((
            project_grants::access.eq(access.rank()),
            project_grants::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn delete_grant(conn: &mut DbConn, project: ProjectId, team: TeamId) -> Result<(), StoreError> {
    diesel::delete(project_grants::table.find((DbId::from(project), DbId::from(team))))
        .execute(conn)?;
    Ok(())
}

/// Which grants to list: a project's (by team name) or a team's (by project name).
#[derive(Debug, Clone, Copy)]
pub enum GrantsOf {
    Project(ProjectId),
    Team(TeamId),
}

/// Every grant of a project or a team, with names, ordered by the other side's name, after
/// `after` (that name) and at `offset`; with `asker`, only grants of projects it reaches.
pub fn list_grants(
    conn: &mut DbConn,
    of: GrantsOf,
    asker: Option<Sight>,
    after: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Vec<NamedGrant>, StoreError> {
    let mut joined = project_grants::table
        .inner_join(teams::table)
        .inner_join(projects::table)
        .into_boxed::<MultiBackend>();
    if let Some(sight) = asker.filter(|s| s.reach != Reach::Everything) {
        joined = joined.filter(sight.condition());
    }
    let query = match of {
        GrantsOf::Project(project) => {
            let mut query = joined.filter(project_grants::project_id.eq(DbId::from(project)));
            if let Some(after) = after {
                query = query.filter(teams::name.gt(after.to_owned()));
            }
            query.order(teams::name.asc())
        }
        GrantsOf::Team(team) => {
            let mut query = joined.filter(project_grants::team_id.eq(DbId::from(team)));
            if let Some(after) = after {
                query = query.filter(projects::name.gt(after.to_owned()));
            }
            query.order(projects::name.asc())
        }
    };
    let rows: Vec<(GrantRow, String, String)> = query
        .offset(offset)
        .limit(limit)
        .select((GrantRow::as_select(), teams::name, projects::name))
        .load(conn)?;
    Ok(named(rows))
}

pub fn count_grants(
    conn: &mut DbConn,
    of: GrantsOf,
    asker: Option<Sight>,
) -> Result<i64, StoreError> {
    let mut query = project_grants::table
        .inner_join(projects::table)
        .into_boxed::<MultiBackend>();
    if let Some(sight) = asker.filter(|s| s.reach != Reach::Everything) {
        query = query.filter(sight.condition());
    }
    let query = match of {
        GrantsOf::Project(project) => {
            query.filter(project_grants::project_id.eq(DbId::from(project)))
        }
        GrantsOf::Team(team) => query.filter(project_grants::team_id.eq(DbId::from(team))),
    };
    Ok(query.count().get_result(conn)?)
}

/// The grants through which `user`'s teams reach a project, highest first (where a user's
/// access comes from).
pub fn grants_reaching(
    conn: &mut DbConn,
    project: ProjectId,
    user: UserId,
) -> Result<Vec<NamedGrant>, StoreError> {
    use crate::schema::team_members;
    let theirs = team_members::table
        .filter(team_members::user_id.eq(DbId::from(user)))
        .select(team_members::team_id);
    let rows: Vec<(GrantRow, String, String)> = project_grants::table
        .inner_join(teams::table)
        .inner_join(projects::table)
        .filter(project_grants::project_id.eq(DbId::from(project)))
        .filter(project_grants::team_id.eq_any(theirs))
        .order((project_grants::access.desc(), teams::name.asc()))
        .select((GrantRow::as_select(), teams::name, projects::name))
        .load(conn)?;
    Ok(named(rows))
}

/// Removes every grant of a project or of a team, returning them (for the events).
pub fn remove_grants(conn: &mut DbConn, of: GrantsOf) -> Result<Vec<NamedGrant>, StoreError> {
    let grants = list_grants(conn, of, None, None, 0, i64::MAX)?;
    match of {
        GrantsOf::Project(project) => diesel::delete(
            project_grants::table.filter(project_grants::project_id.eq(DbId::from(project))),
        )
        .execute(conn)?,
        GrantsOf::Team(team) => diesel::delete(
            project_grants::table.filter(project_grants::team_id.eq(DbId::from(team))),
        )
        .execute(conn)?,
    };
    Ok(grants)
}
