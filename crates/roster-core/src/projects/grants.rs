//! What a project grants which team: listed from either side, granted or changed with PUT
//! (201 new, 200 otherwise), revoked with DELETE; by the project's owners or holders of
//! `projects:write`. A team of another organization is never found here, and the database
//! refuses such a grant besides.

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{AccessLevel, Permission, TeamId};
use roster_store::projects::{self, GrantRow, GrantsOf, NamedGrant, Sight};
use roster_store::teams;

use super::standing::Holder;
use super::{events, lock_project, Grant};
use crate::named_lists::NamedCursor;
use crate::pagination::{Listed, Page};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

fn page_of(
    cx: &mut Context<'_>,
    of: GrantsOf,
    asker: Option<Sight>,
    page: &Page<NamedCursor>,
) -> Result<Listed<Grant>, CoreError> {
    let scope = match of {
        GrantsOf::Project(project) => project.as_uuid(),
        GrantsOf::Team(team) => team.as_uuid(),
    };
    let after = page.cursor().map(|c| c.name_after(scope)).transpose()?;
    let (offset, fetch) = page.window();
    let rows = projects::list_grants(cx.conn(), of, asker, after.as_deref(), offset, fetch)?;
    let total = if page.wants_total() {
        Some(projects::count_grants(cx.conn(), of, asker)?)
    } else {
        None
    };
    Ok(Listed { rows, total }.map(Grant::from))
}

/// `project_grants.list`: the teams a project grants access to, by team name.
#[derive(Debug, Clone)]
pub struct ListProjectGrants {
    pub organization: OrgKey,
    pub project: NameOrId,
    pub page: Page<NamedCursor>,
}

impl Declared for ListProjectGrants {
    const NAME: &'static str = "project_grants.list";
    const REQUIRES: Requirement = Requirement::Project {
        level: AccessLevel::Reader,
        or: Permission::ProjectsWrite,
    };
    const KIND: Kind = Kind::Read;
}

impl Operation for ListProjectGrants {
    type Output = Listed<Grant>;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let (_, standing) = cx.project(&self.organization, &self.project)?;
        let of = GrantsOf::Project(standing.project.id);
        page_of(cx, of, None, &self.page)
    }
}

/// `team_grants.list`: the projects that grant a team access, by project name.
#[derive(Debug, Clone)]
pub struct ListTeamGrants {
    pub organization: OrgKey,
    pub team: NameOrId,
    pub page: Page<NamedCursor>,
}

impl Declared for ListTeamGrants {
    const NAME: &'static str = "team_grants.list";
    const REQUIRES: Requirement = Requirement::Organization(Permission::TeamsRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for ListTeamGrants {
    type Output = Listed<Grant>;

    fn run(self, cx: &mut Context<'_>) -> Result<Self::Output, CoreError> {
        let access = cx.organization(&self.organization)?;
        let (team, _) = teams::find(cx.conn(), access.org.id, &self.team)?
            .ok_or(CoreError::NotFound("team"))?;
        let of = GrantsOf::Team(team.id);
        // Only the projects the caller may see: a private project stays unnamed.
        let asker = Holder::caller(&access).sight();
        page_of(cx, of, Some(asker), &self.page)
    }
}

/// The team `key` names in the organization, under its lock: 404 for none such (a team of
/// another organization included).
fn team_in(
    cx: &mut Context<'_>,
    organization: roster_domain::OrganizationId,
    key: &NameOrId,
) -> Result<(TeamId, String), CoreError> {
    let (team, _) =
        teams::find(cx.conn(), organization, key)?.ok_or(CoreError::NotFound("team"))?;
    Ok((team.id, team.name))
}

/// `project_grants.put`: grants a team an access level to a project, or changes it.
#[derive(Debug, Clone)]
pub struct GrantProject {
    pub organization: OrgKey,
    pub project: NameOrId,
    pub team: NameOrId,
    pub access: AccessLevel,
}

/// A grant as it now stands, and whether this request made it.
#[derive(Debug, Clone)]
pub struct Granted {
    pub grant: Grant,
    pub created: bool,
}

impl Declared for GrantProject {
    const NAME: &'static str = "project_grants.put";
    const REQUIRES: Requirement = Requirement::Project {
        level: AccessLevel::Owner,
        or: Permission::ProjectsWrite,
    };
    const KIND: Kind = Kind::Write;
}

impl Operation for GrantProject {
    type Output = Granted;

    fn run(self, cx: &mut Context<'_>) -> Result<Granted, CoreError> {
        let (access, standing) = cx.project(&self.organization, &self.project)?;
        let project = lock_project(cx, &access, &standing)?.row;
        let (team_id, team_name) = team_in(cx, project.organization_id, &self.team)?;
        let now = cx.now();
        let before = projects::find_grant(cx.conn(), project.id, team_id)?;
        let mut grant = NamedGrant {
            grant: GrantRow {
                project_id: project.id,
                team_id,
                organization_id: project.organization_id,
                access: self.access,
                created_at: now,
                updated_at: now,
            },
            team_name,
            project_name: project.name.clone(),
        };
        match before {
            None => {
                projects::insert_grant(cx.conn(), &grant.grant)?;
                cx.record(events::granted(&grant));
                Ok(Granted {
                    grant: grant.into(),
                    created: true,
                })
            }
            Some(before) => {
                grant.grant.created_at = before.created_at;
                if before.access == self.access {
                    grant.grant.updated_at = before.updated_at;
                    return Ok(Granted {
                        grant: grant.into(),
                        created: false,
                    });
                }
                projects::set_grant(cx.conn(), project.id, team_id, self.access, now)?;
                if let Some(event) = events::updated_grant(before.access, &grant) {
                    cx.record(event);
                }
                Ok(Granted {
                    grant: grant.into(),
                    created: false,
                })
            }
        }
    }
}

/// `project_grants.delete`: a project stops granting a team access.
#[derive(Debug, Clone)]
pub struct RevokeProjectGrant {
    pub organization: OrgKey,
    pub project: NameOrId,
    pub team: NameOrId,
}

impl Declared for RevokeProjectGrant {
    const NAME: &'static str = "project_grants.delete";
    const REQUIRES: Requirement = Requirement::Project {
        level: AccessLevel::Owner,
        or: Permission::ProjectsWrite,
    };
    const KIND: Kind = Kind::Write;
}

impl Operation for RevokeProjectGrant {
    type Output = ();

    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let (access, standing) = cx.project(&self.organization, &self.project)?;
        let project = lock_project(cx, &access, &standing)?.row;
        let (team_id, team_name) = team_in(cx, project.organization_id, &self.team)?;
        let grant = projects::find_grant(cx.conn(), project.id, team_id)?
            .ok_or(CoreError::NotFound("grant"))?;
        projects::delete_grant(cx.conn(), project.id, team_id)?;
        cx.record(events::revoked(
            &NamedGrant {
                grant,
                team_name,
                project_name: project.name,
            },
            "revoked",
        ));
        Ok(())
    }
}
