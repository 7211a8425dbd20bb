//! The JSON of projects, their grants and a user's access to one.

use chrono::{DateTime, Utc};
use roster_core::profile::{NewProfile, ProfilePatch};
use roster_core::projects::{self as core, Grant, ProjectAccessExplained};
use roster_domain::{AccessLevel, ProjectVisibility};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::extract::{double_option, not_null};
use crate::list_schema;

/// A project: one of the application's own resources (a repository, an environment, a
/// workspace), kept in an organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct Project {
    /// The project's id (a UUIDv7).
    pub id: Uuid,
    /// The organization it belongs to.
    pub organization_id: Uuid,
    /// Websafe, unique in the organization; addresses the project as its id does.
    #[schema(example = "checkout-api")]
    pub name: String,
    /// The name people read.
    #[schema(example = "Checkout API")]
    pub display_name: String,
    /// What it is.
    pub description: Option<String>,
    /// `private` (reached through grants and roles only) or `organization` (every member of
    /// the organization reads it).
    pub visibility: ProjectVisibility,
    /// Free-form JSON object for the integrating application (≤ 16 KiB, ≤ 5 levels).
    #[schema(value_type = std::collections::HashMap<String, Value>, additional_properties = true, example = json!({"repo": "git@example.test:checkout"}))]
    pub custom: Value,
    /// The caller's access level (or, in a list filtered by `user_id`, that user's).
    pub access: Option<AccessLevel>,
    /// When it was made.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(serialize_with = "crate::instants::write")]
    pub updated_at: DateTime<Utc>,
}

impl From<core::Project> for Project {
    fn from(project: core::Project) -> Project {
        Project {
            id: project.id.as_uuid(),
            organization_id: project.organization_id.as_uuid(),
            name: project.name,
            display_name: project.display_name,
            description: project.description,
            visibility: project.visibility,
            custom: project.custom,
            access: project.access,
            created_at: project.created_at,
            updated_at: project.updated_at,
        }
    }
}

/// A new project.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "checkout-api", "display_name": "Checkout API", "visibility": "private"}))]
pub struct CreateProject {
    /// Websafe (`a-z`, `0-9`, `-`), 1 to 63 characters, unique in the organization, not a
    /// reserved word and not shaped like a UUID.
    #[schema(
        example = "checkout-api",
        pattern = "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
    )]
    pub name: String,
    /// The name people read (default: `name`).
    #[schema(example = "Checkout API", min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    /// What it is (up to 2000 characters).
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// `private` (default) or `organization`.
    pub visibility: Option<ProjectVisibility>,
    /// Free-form JSON object for the integrating application (≤ 16 KiB, ≤ 5 levels).
    #[schema(value_type = Option<std::collections::HashMap<String, Value>>, additional_properties = true)]
    pub custom: Option<Value>,
}

impl CreateProject {
    pub fn into_parts(self) -> (NewProfile, ProjectVisibility) {
        let profile = NewProfile {
            name: self.name,
            display_name: self.display_name,
            description: self.description,
            custom: self.custom,
        };
        (profile, self.visibility.unwrap_or_default())
    }
}

/// A JSON merge patch (RFC 7396) of a project: an absent field is unchanged, `null` clears
/// it, `custom` merges key by key.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"visibility": "organization"}))]
pub struct UpdateProject {
    /// A new name (its old one stops addressing it). Not `null`.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(pattern = "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", nullable = false)]
    pub name: Option<String>,
    /// The name people read; `null` resets it to the name.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub display_name: Option<Option<String>>,
    /// What it is; `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub description: Option<Option<String>>,
    /// `private` or `organization`. Not `null`.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    pub visibility: Option<ProjectVisibility>,
    /// Keys of `custom` to change (merged key by key; `null` removes a key).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<std::collections::HashMap<String, Value>>, additional_properties = true)]
    pub custom: Option<Option<Value>>,
}

impl UpdateProject {
    pub fn into_parts(self) -> (ProfilePatch, Option<ProjectVisibility>) {
        let patch = ProfilePatch {
            name: self.name,
            display_name: self.display_name,
            description: self.description,
            custom: self.custom,
        };
        (patch, self.visibility)
    }
}

/// A team or a project, by id and name.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedRef {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    #[schema(example = "backend")]
    pub name: String,
}

/// What a project grants one team.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamGrant {
    /// The team.
    pub team: NamedRef,
    /// The access level its members get.
    pub access: AccessLevel,
    /// When the grant was made.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When its level last changed.
    #[serde(serialize_with = "crate::instants::write")]
    pub updated_at: DateTime<Utc>,
}

impl From<Grant> for TeamGrant {
    fn from(grant: Grant) -> TeamGrant {
        TeamGrant {
            team: NamedRef {
                id: grant.team_id.as_uuid(),
                name: grant.team_name,
            },
            access: grant.access,
            created_at: grant.created_at,
            updated_at: grant.updated_at,
        }
    }
}

/// What one project grants a team, seen from the team.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectGrant {
    /// The project.
    pub project: NamedRef,
    /// The access level the team's members get.
    pub access: AccessLevel,
    /// When the grant was made.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When its level last changed.
    #[serde(serialize_with = "crate::instants::write")]
    pub updated_at: DateTime<Utc>,
}

impl From<Grant> for ProjectGrant {
    fn from(grant: Grant) -> ProjectGrant {
        ProjectGrant {
            project: NamedRef {
                id: grant.project_id.as_uuid(),
                name: grant.project_name,
            },
            access: grant.access,
            created_at: grant.created_at,
            updated_at: grant.updated_at,
        }
    }
}

/// The access level to grant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"access": "writer"}))]
pub struct PutGrant {
    /// `reader`, `writer` or `owner`.
    pub access: AccessLevel,
}

/// A user's access level to a project, and where it comes from.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access": "writer", "sources": ["team:backend:writer", "visibility:organization"]}))]
pub struct ProjectAccess {
    /// The highest level that applies; `null`: none (the project is 404 to them).
    pub access: Option<AccessLevel>,
    /// Each source: `role:<role>` (a role holding `projects:write`: owner), `platform_admin`,
    /// `team:<team name>:<level>`, `visibility:organization` (reader).
    pub sources: Vec<String>,
}

impl From<ProjectAccessExplained> for ProjectAccess {
    fn from(explained: ProjectAccessExplained) -> ProjectAccess {
        ProjectAccess {
            access: explained.access,
            sources: explained.sources,
        }
    }
}

list_schema!(
    ProjectList,
    Project,
    "A page of projects, each with the access level."
);
list_schema!(
    TeamGrantList,
    TeamGrant,
    "A page of a project's grants, by team name."
);
list_schema!(
    ProjectGrantList,
    ProjectGrant,
    "A page of a team's grants, by project name."
);
