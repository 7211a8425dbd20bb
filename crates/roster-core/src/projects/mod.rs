//! Projects: the application's own resources, kept in an organization; each grants teams an
//! access level (`reader` < `writer` < `owner`), and a user's access is the highest of their
//! role's, their teams' and the project's visibility ([`crate::access::project_level`]).

mod create;
mod delete;
pub(crate) mod events;
mod explain;
mod get;
mod grants;
mod list;
mod project;
pub(crate) mod standing;
mod update;

use roster_domain::NameOrId;
use roster_domain::{AccessLevel, ProjectVisibility};
use roster_store::projects::{self, ProjectRow};
use roster_store::JsonValue;

use crate::access::{require_project_level, teams_read_for, OrgAccess, ProjectStanding};
use crate::members::lock;
use crate::profile::Profile;
use crate::{Context, CoreError, Requirement};

pub use create::CreateProject;
pub use delete::DeleteProject;
pub use explain::{ExplainProjectAccess, ProjectAccessExplained};
pub use get::GetProject;
pub use grants::{GrantProject, Granted, ListProjectGrants, ListTeamGrants, RevokeProjectGrant};
pub use list::{ListProjects, ProjectCursor};
pub use project::{Grant, Project};
pub use update::UpdateProject;

/// The ETag of a project as last written (what `If-Match` is compared with).
fn etag(project: &ProjectRow) -> String {
    crate::precondition::etag_of(project.id.as_uuid(), project.updated_at.0)
}

fn profile_of(project: &ProjectRow) -> Profile {
    Profile {
        name: project.name.clone(),
        display_name: project.display_name.clone(),
        description: project.description.clone(),
        custom: project.custom.0.clone(),
    }
}

fn set_profile(project: &mut ProjectRow, profile: Profile, visibility: ProjectVisibility) {
    project.name = profile.name;
    project.display_name = profile.display_name;
    project.description = profile.description;
    project.custom = JsonValue(profile.custom);
    project.visibility = visibility;
}

/// Takes the organization's lock (as every change to its projects does), then reads the
/// project and the caller's access to it again under the lock and checks the operation's
/// requirement on what holds now: a grant revoked meanwhile counts.
fn lock_project(
    cx: &mut Context<'_>,
    access: &OrgAccess,
    standing: &ProjectStanding,
) -> Result<LockedProject, CoreError> {
    let Requirement::Project { level, or } = cx.requirement() else {
        return Err(CoreError::Internal(
            "a project operation without a project requirement".into(),
        ));
    };
    let org = lock(cx, access)?;
    let key = NameOrId::Id(standing.project.id.as_uuid());
    let (row, team) = projects::find(cx.conn(), org.id, &key, teams_read_for(access))?
        .ok_or(CoreError::NotFound("project"))?;
    let held = require_project_level(access, row.visibility, team, (level, or))?;
    Ok(LockedProject { row, level: held })
}

/// A project read again under its organization's lock, and the caller's access level to it.
struct LockedProject {
    row: ProjectRow,
    level: AccessLevel,
}

impl From<LockedProject> for Project {
    fn from(locked: LockedProject) -> Project {
        Project::of(locked.row, Some(locked.level))
    }
}
