//! The JSON of teams and their members.

use chrono::{DateTime, Utc};
use roster_core::profile::{NewProfile, ProfilePatch};
use roster_core::teams as core;
use roster_domain::TeamRole;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::extract::{double_option, not_null};
use crate::list_schema;
use crate::routes::organizations::json::MemberUser;

/// A team: a group of the organization's members, which projects grant access to.
#[derive(Debug, Serialize, ToSchema)]
pub struct Team {
    /// The team's id (a UUIDv7).
    pub id: Uuid,
    /// The organization it belongs to.
    pub organization_id: Uuid,
    /// Websafe, unique in the organization; addresses the team as its id does.
    #[schema(example = "backend")]
    pub name: String,
    /// The name people read.
    #[schema(example = "Backend team")]
    pub display_name: String,
    /// What it is for.
    pub description: Option<String>,
    /// Free-form JSON object for the integrating application (≤ 16 KiB, ≤ 5 levels).
    #[schema(value_type = std::collections::HashMap<String, Value>, additional_properties = true, example = json!({"slack": "#backend"}))]
    pub custom: Value,
    /// How many members it has.
    #[schema(example = 4)]
    pub member_count: i64,
    /// When it was made.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(serialize_with = "crate::instants::write")]
    pub updated_at: DateTime<Utc>,
}

impl From<core::Team> for Team {
    fn from(team: core::Team) -> Team {
        Team {
            id: team.id.as_uuid(),
            organization_id: team.organization_id.as_uuid(),
            name: team.name,
            display_name: team.display_name,
            description: team.description,
            custom: team.custom,
            member_count: team.member_count,
            created_at: team.created_at,
            updated_at: team.updated_at,
        }
    }
}

/// A new team.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "backend", "display_name": "Backend team"}))]
pub struct CreateTeam {
    /// Websafe (`a-z`, `0-9`, `-`), 1 to 63 characters, unique in the organization, not a
    /// reserved word and not shaped like a UUID.
    #[schema(
        example = "backend",
        pattern = "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
    )]
    pub name: String,
    /// The name people read (default: `name`).
    #[schema(example = "Backend team", min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    /// What it is for (up to 2000 characters).
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Free-form JSON object for the integrating application (≤ 16 KiB, ≤ 5 levels).
    #[schema(value_type = Option<std::collections::HashMap<String, Value>>, additional_properties = true)]
    pub custom: Option<Value>,
}

impl From<CreateTeam> for NewProfile {
    fn from(body: CreateTeam) -> NewProfile {
        NewProfile {
            name: body.name,
            display_name: body.display_name,
            description: body.description,
            custom: body.custom,
        }
    }
}

/// A JSON merge patch (RFC 7396) of a team: an absent field is unchanged, `null` clears it,
/// `custom` merges key by key.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"display_name": "Platform team"}))]
pub struct UpdateTeam {
    /// A new name (its old one stops addressing it). Not `null`.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(pattern = "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", nullable = false)]
    pub name: Option<String>,
    /// The name people read; `null` resets it to the name.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub display_name: Option<Option<String>>,
    /// What it is for; `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub description: Option<Option<String>>,
    /// Keys of `custom` to change (merged key by key; `null` removes a key).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<std::collections::HashMap<String, Value>>, additional_properties = true)]
    pub custom: Option<Option<Value>>,
}

impl From<UpdateTeam> for ProfilePatch {
    fn from(body: UpdateTeam) -> ProfilePatch {
        ProfilePatch {
            name: body.name,
            display_name: body.display_name,
            description: body.description,
            custom: body.custom,
        }
    }
}

/// A member of a team.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMember {
    /// The team.
    pub team_id: Uuid,
    /// Who the member is.
    pub user: MemberUser,
    /// `member`, or `maintainer` (manages the team's members).
    pub role: TeamRole,
    /// When they joined the team.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When their role in it last changed.
    #[serde(serialize_with = "crate::instants::write")]
    pub updated_at: DateTime<Utc>,
}

impl From<core::TeamMember> for TeamMember {
    fn from(member: core::TeamMember) -> TeamMember {
        TeamMember {
            team_id: member.team_id.as_uuid(),
            user: MemberUser {
                id: member.user.id.as_uuid(),
                email: member.user.email,
                name: member.user.name,
            },
            role: member.role,
            created_at: member.created_at,
            updated_at: member.updated_at,
        }
    }
}

/// Someone to add to a team: a current member of the organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "0193a5c2-7d1e-7c3a-9f4b-2f1e5d6c7b8a", "role": "maintainer"}))]
pub struct AddTeamMember {
    /// The user (a current member of the organization).
    pub user_id: Uuid,
    /// `member` (default) or `maintainer`.
    pub role: Option<TeamRole>,
}

/// A new role in the team.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "maintainer"}))]
pub struct UpdateTeamMember {
    /// `member` or `maintainer`.
    pub role: TeamRole,
}

list_schema!(TeamList, Team, "A page of teams.");
list_schema!(
    TeamMemberList,
    TeamMember,
    "A page of a team's members, by when they joined."
);
