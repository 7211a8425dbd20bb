//! A project, and what it grants a team, as operations return them.

use chrono::{DateTime, Utc};
use roster_domain::{AccessLevel, NamedSort, OrganizationId, ProjectId, ProjectVisibility, TeamId};
use roster_store::projects::{NamedGrant, ProjectRow};
use serde_json::Value;

use super::ProjectCursor;
use crate::access::ProjectStanding;
use crate::named_lists::NamedCursor;
use crate::precondition::etag_of;

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: ProjectId,
    pub organization_id: OrganizationId,
    /// Websafe, unique in the organization.
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    pub visibility: ProjectVisibility,
    pub custom: Value,
    /// The access level of whoever it is shown for (`None`: they have none, e.g. a project
    /// listed for another user).
    pub access: Option<AccessLevel>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Project {
    /// The project shown for someone with `access` to it.
    pub(crate) fn of(row: ProjectRow, access: Option<AccessLevel>) -> Project {
        Project {
            id: row.id,
            organization_id: row.organization_id,
            name: row.name,
            display_name: row.display_name,
            description: row.description,
            visibility: row.visibility,
            custom: row.custom.0,
            access,
            created_at: row.created_at.0,
            updated_at: row.updated_at.0,
        }
    }

    /// A strong validator that changes with every write of the project.
    pub fn etag(&self) -> String {
        etag_of(self.id.as_uuid(), self.updated_at)
    }

    /// The cursor that continues after this project in its organization's list.
    pub fn cursor(&self, sort: NamedSort, descending: bool) -> ProjectCursor {
        NamedCursor::after(
            self.organization_id.as_uuid(),
            sort,
            descending,
            (&self.name, self.created_at, self.id.as_uuid()),
        )
    }
}

impl From<ProjectStanding> for Project {
    fn from(standing: ProjectStanding) -> Project {
        Project {
            access: Some(standing.level),
            ..standing.project
        }
    }
}

/// A project's grant of an access level to a team, with both names.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub project_id: ProjectId,
    pub project_name: String,
    pub team_id: TeamId,
    pub team_name: String,
    pub access: AccessLevel,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Grant {
    /// The cursor after this grant in its project's list of grants (by team name).
    pub fn cursor_in_project(&self) -> NamedCursor {
        self.cursor(
            self.project_id.as_uuid(),
            &self.team_name,
            self.team_id.as_uuid(),
        )
    }

    /// The cursor after this grant in its team's list of grants (by project name).
    pub fn cursor_in_team(&self) -> NamedCursor {
        self.cursor(
            self.team_id.as_uuid(),
            &self.project_name,
            self.project_id.as_uuid(),
        )
    }

    fn cursor(&self, scope: uuid::Uuid, name: &str, id: uuid::Uuid) -> NamedCursor {
        NamedCursor::after(scope, NamedSort::Name, false, (name, self.created_at, id))
    }
}

impl From<NamedGrant> for Grant {
    fn from(named: NamedGrant) -> Grant {
        Grant {
            project_id: named.grant.project_id,
            project_name: named.project_name,
            team_id: named.grant.team_id,
            team_name: named.team_name,
            access: named.grant.access,
            created_at: named.grant.created_at.0,
            updated_at: named.grant.updated_at.0,
        }
    }
}
