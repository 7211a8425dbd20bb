//! What project operations record in the audit log.

use roster_domain::AccessLevel;
use roster_store::projects::{NamedGrant, ProjectRow};
use serde::{Deserialize, Serialize};

use crate::events::{Change, Event, Target};
use crate::profile::ProfileChanges;
use crate::teams::events::TeamRef;

/// `project.created`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectCreated {
    /// The project's name.
    pub name: String,
    /// The name people read.
    pub display_name: String,
    /// `private` or `organization`.
    pub visibility: String,
}

/// `project.updated`: the fields that changed, each with its `from` and `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectUpdated {
    /// The fields that changed.
    pub changes: ProfileChanges,
}

/// `project.deleted` (its `project_access.revoked` events come with it)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectDeleted {
    /// The project's name.
    pub name: String,
}

/// The project a grant event is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectRef {
    /// The project's id.
    pub id: uuid::Uuid,
    /// The project's name.
    pub name: String,
}

/// `project_access.granted`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectAccessGranted {
    /// The project.
    pub project: ProjectRef,
    /// The team it grants access to.
    pub team: TeamRef,
    /// `reader`, `writer` or `owner`.
    pub access: String,
}

/// `project_access.updated`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectAccessUpdated {
    /// The project.
    pub project: ProjectRef,
    /// The team.
    pub team: TeamRef,
    /// The level granted, before and after.
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>))]
    pub access: Change<String>,
}

/// `project_access.revoked`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectAccessRevoked {
    /// The project.
    pub project: ProjectRef,
    /// The team.
    pub team: TeamRef,
    /// The level it had.
    pub access: String,
    /// Why: `revoked`, `team_deleted` or `project_deleted`.
    pub reason: String,
}

fn project_target(project: &ProjectRow) -> Target {
    Target::Project {
        organization: project.organization_id,
        id: project.id,
    }
}

fn grant_target(grant: &NamedGrant) -> Target {
    Target::ProjectAccess {
        organization: grant.grant.organization_id,
        project: grant.grant.project_id,
        team: grant.grant.team_id,
    }
}

fn refs(grant: &NamedGrant) -> (ProjectRef, TeamRef) {
    (
        ProjectRef {
            id: grant.grant.project_id.as_uuid(),
            name: grant.project_name.clone(),
        },
        TeamRef {
            id: grant.grant.team_id.as_uuid(),
            name: grant.team_name.clone(),
        },
    )
}

pub fn created(project: &ProjectRow) -> Event {
    Event::of(
        project_target(project),
        ProjectCreated {
            name: project.name.clone(),
            display_name: project.display_name.clone(),
            visibility: project.visibility.as_str().to_owned(),
        },
    )
}

pub fn updated(project: &ProjectRow, changes: ProfileChanges) -> Option<Event> {
    (!changes.is_empty()).then(|| Event::of(project_target(project), ProjectUpdated { changes }))
}

pub fn deleted(project: &ProjectRow) -> Event {
    Event::of(
        project_target(project),
        ProjectDeleted {
            name: project.name.clone(),
        },
    )
}

pub fn granted(grant: &NamedGrant) -> Event {
    let (project, team) = refs(grant);
    Event::of(
        grant_target(grant),
        ProjectAccessGranted {
            project,
            team,
            access: grant.grant.access.as_str().to_owned(),
        },
    )
}

pub fn updated_grant(before: AccessLevel, after: &NamedGrant) -> Option<Event> {
    let access = Change::of(
        before.as_str().to_owned(),
        after.grant.access.as_str().to_owned(),
    )?;
    let (project, team) = refs(after);
    Some(Event::of(
        grant_target(after),
        ProjectAccessUpdated {
            project,
            team,
            access,
        },
    ))
}

pub fn revoked(grant: &NamedGrant, reason: &str) -> Event {
    let (project, team) = refs(grant);
    Event::of(
        grant_target(grant),
        ProjectAccessRevoked {
            project,
            team,
            access: grant.grant.access.as_str().to_owned(),
            reason: reason.to_owned(),
        },
    )
}
