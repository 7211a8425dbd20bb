//! Teams: groups of an organization's members (`member` or `maintainer`), which projects grant
//! access levels to. A team's members are current members of its organization: leaving the
//! organization leaves its teams ([`crate::members::leaving`]).

mod create;
mod delete;
pub(crate) mod events;
mod get;
mod list;
mod members;
mod team;
mod update;

use roster_domain::NameOrId;
use roster_store::teams::{CountedTeam, TeamRow};
use roster_store::JsonValue;

use crate::access::OrgAccess;
use crate::members::lock;
use crate::profile::Profile;
use crate::{Context, CoreError};

pub use create::CreateTeam;
pub use delete::DeleteTeam;
pub use get::GetTeam;
pub use list::{ListTeams, TeamCursor};
pub use members::{
    AddTeamMember, ListTeamMembers, RemoveTeamMember, TeamMemberCursor, UpdateTeamMember,
};
pub use team::{Team, TeamMember};
pub use update::UpdateTeam;

/// A team as read: the row and how many members it has.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TeamView {
    pub row: TeamRow,
    pub member_count: i64,
}

impl From<CountedTeam> for TeamView {
    fn from((row, member_count): CountedTeam) -> TeamView {
        TeamView { row, member_count }
    }
}

/// The ETag of a team as last written (what `If-Match` is compared with).
fn etag(team: &TeamRow) -> String {
    crate::precondition::etag_of(team.id.as_uuid(), team.updated_at.0)
}

fn profile_of(team: &TeamRow) -> Profile {
    Profile {
        name: team.name.clone(),
        display_name: team.display_name.clone(),
        description: team.description.clone(),
        custom: team.custom.0.clone(),
    }
}

fn set_profile(team: &mut TeamRow, profile: Profile) {
    team.name = profile.name;
    team.display_name = profile.display_name;
    team.description = profile.description;
    team.custom = JsonValue(profile.custom);
}

/// Takes the organization's lock (as every change to its teams does) and reads the team again
/// under it: 404 if it went meanwhile.
fn lock_team(
    cx: &mut Context<'_>,
    access: &OrgAccess,
    team: &TeamRow,
) -> Result<TeamView, CoreError> {
    let org = lock(cx, access)?;
    roster_store::teams::find(cx.conn(), org.id, &NameOrId::Id(team.id.as_uuid()))?
        .map(TeamView::from)
        .ok_or(CoreError::NotFound("team"))
}

/// The team `key` names in the organization the caller may see: 404 if it has none such.
fn find(cx: &mut Context<'_>, access: &OrgAccess, key: &NameOrId) -> Result<TeamView, CoreError> {
    roster_store::teams::find(cx.conn(), access.org.id, key)?
        .map(TeamView::from)
        .ok_or(CoreError::NotFound("team"))
}
