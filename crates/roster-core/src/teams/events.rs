//! What team operations record in the audit log.

use roster_store::teams::{TeamMemberRow, TeamRow};
use serde::{Deserialize, Serialize};

use crate::events::{Change, Event, Target};
use crate::profile::ProfileChanges;

/// `team.created`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamCreated {
    /// The team's name.
    pub name: String,
    /// The name people read.
    pub display_name: String,
}

/// `team.updated`: the fields that changed, each with its `from` and `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamUpdated {
    /// The fields that changed.
    pub changes: ProfileChanges,
}

/// `team.deleted` (its `team_member.removed` and `project_access.revoked` events come with it)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamDeleted {
    /// The team's name.
    pub name: String,
}

/// The team a team-member event is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamRef {
    /// The team's id.
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: uuid::Uuid,
    /// The team's name.
    pub name: String,
}

/// `team_member.added`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMemberAdded {
    /// The team.
    pub team: TeamRef,
    /// The member's user id.
    pub user_id: uuid::Uuid,
    /// `member` or `maintainer`.
    pub role: String,
}

/// `team_member.updated`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMemberUpdated {
    /// The team.
    pub team: TeamRef,
    /// The member's user id.
    pub user_id: uuid::Uuid,
    /// The member's role in the team, before and after.
    #[cfg_attr(feature = "openapi", schema(value_type = Change<String>))]
    pub role: Change<String>,
}

/// `team_member.removed`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMemberRemoved {
    /// The team.
    pub team: TeamRef,
    /// The former member's user id.
    pub user_id: uuid::Uuid,
    /// The role they had in the team.
    pub role: String,
    /// Why: `removed`, `left` (the team), `team_deleted`, or their organization membership's
    /// end (`removed_from_organization`, `left_organization`, `expired_from_organization`).
    pub reason: String,
}

fn team_target(team: &TeamRow) -> Target {
    Target::Team {
        organization: team.organization_id,
        id: team.id,
    }
}

fn member_target(team: &TeamRow, place: &TeamMemberRow) -> Target {
    Target::TeamMember {
        organization: team.organization_id,
        team: team.id,
        user: place.user_id,
    }
}

pub fn team_ref(team: &TeamRow) -> TeamRef {
    TeamRef {
        id: team.id.as_uuid(),
        name: team.name.clone(),
    }
}

pub fn created(team: &TeamRow) -> Event {
    Event::of(
        team_target(team),
        TeamCreated {
            name: team.name.clone(),
            display_name: team.display_name.clone(),
        },
    )
}

pub fn updated(team: &TeamRow, changes: ProfileChanges) -> Option<Event> {
    (!changes.is_empty()).then(|| Event::of(team_target(team), TeamUpdated { changes }))
}

pub fn deleted(team: &TeamRow) -> Event {
    Event::of(
        team_target(team),
        TeamDeleted {
            name: team.name.clone(),
        },
    )
}

pub fn member_added(team: &TeamRow, place: &TeamMemberRow) -> Event {
    Event::of(
        member_target(team, place),
        TeamMemberAdded {
            team: team_ref(team),
            user_id: place.user_id.as_uuid(),
            role: place.role.as_str().to_owned(),
        },
    )
}

pub fn member_updated(
    team: &TeamRow,
    before: &TeamMemberRow,
    after: &TeamMemberRow,
) -> Option<Event> {
    let role = Change::of(
        before.role.as_str().to_owned(),
        after.role.as_str().to_owned(),
    )?;
    Some(Event::of(
        member_target(team, after),
        TeamMemberUpdated {
            team: team_ref(team),
            user_id: after.user_id.as_uuid(),
            role,
        },
    ))
}

pub fn member_removed(team: &TeamRow, place: &TeamMemberRow, reason: &str) -> Event {
    Event::of(
        member_target(team, place),
        TeamMemberRemoved {
            team: team_ref(team),
            user_id: place.user_id.as_uuid(),
            role: place.role.as_str().to_owned(),
            reason: reason.to_owned(),
        },
    )
}
