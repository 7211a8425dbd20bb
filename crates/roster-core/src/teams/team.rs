//! A team and a team's member as operations return them.

use chrono::{DateTime, Utc};
use roster_domain::{NamedSort, OrganizationId, TeamId, TeamRole};
use roster_store::teams::TeamMemberRow;
use serde_json::Value;

use super::{TeamCursor, TeamMemberCursor, TeamView};
use crate::members::MemberUser;
use crate::named_lists::NamedCursor;
use crate::precondition::etag_of;

#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub id: TeamId,
    pub organization_id: OrganizationId,
    /// Websafe, unique in the organization.
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    pub custom: Value,
    pub member_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Team {
    /// A strong validator that changes with every write of the team.
    pub fn etag(&self) -> String {
        etag_of(self.id.as_uuid(), self.updated_at)
    }

    /// The cursor that continues after this team in its organization's list.
    pub fn cursor(&self, sort: NamedSort, descending: bool) -> TeamCursor {
        NamedCursor::after(
            self.organization_id.as_uuid(),
            sort,
            descending,
            (&self.name, self.created_at, self.id.as_uuid()),
        )
    }
}

impl From<TeamView> for Team {
    fn from(view: TeamView) -> Team {
        let row = view.row;
        Team {
            id: row.id,
            organization_id: row.organization_id,
            name: row.name,
            display_name: row.display_name,
            description: row.description,
            custom: row.custom.0,
            member_count: view.member_count,
            created_at: row.created_at.0,
            updated_at: row.updated_at.0,
        }
    }
}

/// A member of a team: a current member of its organization, with a role in the team.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamMember {
    pub team_id: TeamId,
    pub user: MemberUser,
    pub role: TeamRole,
    /// When they joined the team.
    pub created_at: DateTime<Utc>,
    /// When their role in it last changed.
    pub updated_at: DateTime<Utc>,
}

impl TeamMember {
    /// The cursor that continues after this member in its team's list.
    pub fn cursor(&self) -> TeamMemberCursor {
        NamedCursor::after(
            self.team_id.as_uuid(),
            NamedSort::CreatedAt,
            false,
            ("", self.created_at, self.user.id.as_uuid()),
        )
    }
}

impl From<(TeamMemberRow, roster_store::memberships::MemberUser)> for TeamMember {
    fn from((place, user): (TeamMemberRow, roster_store::memberships::MemberUser)) -> Self {
        TeamMember {
            team_id: place.team_id,
            user: user.into(),
            role: place.role,
            created_at: place.created_at.0,
            updated_at: place.updated_at.0,
        }
    }
}
