//! The per-row pieces of SQL that read team grants and team sizes, as Diesel expressions of
//! their own. Written as `diesel::dsl::sql` they would work the same, but Diesel never caches
//! the prepared statement of a query holding a SQL literal: PostgreSQL would parse and plan
//! the project query afresh on every request (1.5 ms for a member of 200 teams), where these
//! name their SQL by type and keep it prepared per connection.

use diesel::backend::Backend;
use diesel::expression::{
    is_aggregate, AppearsOnTable, Expression, SelectableExpression, ValidGrouping,
};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Bool, HasSqlType, Integer, Nullable};
use diesel::QueryResult;

use crate::projects::Reach;
use crate::sql_types::DbUuid;
use crate::DbId;

/// The highest grant a team of `user` holds on the row's project (NULL for none), as a column
/// of a query on `projects`. It walks the project's few grants (the covering index) and probes
/// each grant's team for the user (the primary key of `team_members`). Joining the user's team
/// memberships instead reads all of them for every row: PostgreSQL's generic plan merges the
/// two ranges, 200 index entries per project for a member of 200 teams, and a page of projects
/// took 2.3 times as long. The `EXISTS` also keeps SQLite on the project's grants first.
#[derive(Debug, Clone, Copy, QueryId)]
pub struct TeamAccess {
    pub user: DbId,
}

const TEAM_ACCESS: &str = "(SELECT MAX(project_grants.access) FROM project_grants \
     WHERE project_grants.project_id = projects.id \
     AND EXISTS (SELECT 1 FROM team_members \
     WHERE team_members.team_id = project_grants.team_id AND team_members.user_id = ";

impl Expression for TeamAccess {
    type SqlType = Nullable<Integer>;
}

impl<DB> QueryFragment<DB> for TeamAccess
where
    DB: Backend + HasSqlType<DbUuid>,
    DbId: ToSql<DbUuid, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(TEAM_ACCESS);
        out.push_bind_param::<DbUuid, _>(&self.user)?;
        out.push_sql("))");
        Ok(())
    }
}

/// Whether someone reaches the row's project, as a condition on any query that reads
/// `projects`: everyone ([`Reach::Everything`]), organization-visible projects and those a team
/// of theirs is granted ([`Reach::Visible`]), or only the latter ([`Reach::Granted`]).
///
/// The grant part is the per-row aggregate rather than `EXISTS`: beside an `OR`, PostgreSQL
/// turns an `EXISTS` into a hash of every grant of every team of the user, built on each
/// request (13 ms for a member of 200 teams), where this probes each row's grants as the page
/// is read. Its SQL depends on the reach, so its prepared statement is keyed by that SQL.
#[derive(Debug, Clone, Copy)]
pub struct Reaches {
    pub reach: Reach,
    pub user: DbId,
}

impl QueryId for Reaches {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Expression for Reaches {
    type SqlType = Bool;
}

impl<DB> QueryFragment<DB> for Reaches
where
    DB: Backend + HasSqlType<DbUuid>,
    DbId: ToSql<DbUuid, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        match self.reach {
            Reach::Everything => {
                out.push_sql("1 = 1");
                return Ok(());
            }
            Reach::Visible => out.push_sql("(projects.visibility = 'organization' OR "),
            Reach::Granted => out.push_sql("("),
        }
        out.push_sql(TEAM_ACCESS);
        out.push_bind_param::<DbUuid, _>(&self.user)?;
        out.push_sql(")) IS NOT NULL)");
        Ok(())
    }
}

/// How many members the row's team has, as a column of a query on `teams` (counted when read:
/// no counter to drift).
#[derive(Debug, Clone, Copy, QueryId)]
pub struct MemberCount;

impl Expression for MemberCount {
    type SqlType = BigInt;
}

impl<DB: Backend> QueryFragment<DB> for MemberCount {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(SELECT COUNT(*) FROM team_members WHERE team_members.team_id = teams.id)");
        Ok(())
    }
}

/// No team grants, as the same column as [`TeamAccess`]: for a caller without teams (an API
/// key) or whose role makes it `owner` of every project anyway.
#[derive(Debug, Clone, Copy, QueryId)]
pub struct NoTeamAccess;

impl Expression for NoTeamAccess {
    type SqlType = Nullable<Integer>;
}

impl<DB: Backend> QueryFragment<DB> for NoTeamAccess {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("NULL");
        Ok(())
    }
}

/// They read their row's columns by name, so they stand wherever the query's tables do.
macro_rules! anywhere {
    ($($expression:ty),*) => {$(
        impl<QS> AppearsOnTable<QS> for $expression {}
        impl<QS> SelectableExpression<QS> for $expression {}
        impl<GB> ValidGrouping<GB> for $expression {
            type IsAggregate = is_aggregate::Never;
        }
    )*};
}

anywhere!(TeamAccess, Reaches, MemberCount, NoTeamAccess);
