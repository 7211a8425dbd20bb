//! The audit log: what operations record, and reading it back.

pub mod catalogue;
mod change;
mod list;
mod list_all;
mod page;
pub mod view;

use roster_domain::{
    ApiKeyId, InvitationId, OrganizationId, ProjectId, SessionId, TeamId, UserId, WebhookId,
};
use roster_store::events::Actor;
use serde_json::Value;

pub use catalogue::{EventType, Payload};
pub use change::Change;

pub use list::ListOrganizationEvents;
pub use list_all::ListEvents;
pub use page::{EventCursor, TypeFilter};

/// One change, as an operation records it ([`crate::Context::record`]). The request id, the
/// client's address, the time and (unless given here) the actor are added from the context.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: EventType,
    pub organization: Option<OrganizationId>,
    pub target: Target,
    /// What changed; never a secret.
    pub data: Value,
    /// Who caused it, when it is not the caller (sign-up: the new user itself).
    pub actor: Option<Actor>,
}

impl Event {
    /// The event `data` describes (its type is `data`'s), made to `target`.
    pub fn of<P: Payload>(target: Target, data: P) -> Event {
        Event {
            kind: P::TYPE,
            organization: target.organization(),
            target,
            // A payload is plain fields and strings: it always serializes.
            data: serde_json::to_value(data).unwrap_or_default(),
            actor: None,
        }
    }

    pub fn by(mut self, actor: Actor) -> Event {
        self.actor = Some(actor);
        self
    }
}

/// What an event is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Organization(OrganizationId),
    User(UserId),
    /// A user's membership of an organization (identified by the user's id).
    Membership {
        organization: OrganizationId,
        user: UserId,
    },
    Session(SessionId),
    Invitation {
        organization: OrganizationId,
        id: InvitationId,
    },
    /// An API key: an organization's, or (without one) a user's personal key.
    ApiKey {
        organization: Option<OrganizationId>,
        id: ApiKeyId,
    },
    /// A custom role, identified by its key.
    Role {
        organization: OrganizationId,
        key: String,
    },
    /// A team.
    Team {
        organization: OrganizationId,
        id: TeamId,
    },
    /// A user's place in a team (identified by the user's id; `data.team` names the team).
    TeamMember {
        organization: OrganizationId,
        team: TeamId,
        user: UserId,
    },
    /// A project.
    Project {
        organization: OrganizationId,
        id: ProjectId,
    },
    /// What a project grants a team (identified by the team's id; `data.project` names the
    /// project).
    ProjectAccess {
        organization: OrganizationId,
        project: ProjectId,
        team: TeamId,
    },
    /// A token-signing key, by its `kid`.
    SigningKey(String),
    /// A webhook endpoint.
    Webhook(WebhookId),
}

impl Target {
    /// The organization whose audit log the event belongs to, if any.
    pub fn organization(&self) -> Option<OrganizationId> {
        match self {
            Target::Organization(id)
            | Target::Membership {
                organization: id, ..
            }
            | Target::Invitation {
                organization: id, ..
            }
            | Target::Role {
                organization: id, ..
            }
            | Target::Team {
                organization: id, ..
            }
            | Target::TeamMember {
                organization: id, ..
            }
            | Target::Project {
                organization: id, ..
            }
            | Target::ProjectAccess {
                organization: id, ..
            } => Some(*id),
            Target::ApiKey { organization, .. } => *organization,
            Target::User(_) | Target::Session(_) | Target::SigningKey(_) | Target::Webhook(_) => {
                None
            }
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Target::Organization(_) => "organization",
            Target::User(_) => "user",
            Target::Membership { .. } => "membership",
            Target::Session(_) => "session",
            Target::Invitation { .. } => "invitation",
            Target::ApiKey { .. } => "api_key",
            Target::Role { .. } => "role",
            Target::Team { .. } => "team",
            Target::TeamMember { .. } => "team_member",
            Target::Project { .. } => "project",
            Target::ProjectAccess { .. } => "project_access",
            Target::SigningKey(_) => "signing_key",
            Target::Webhook(_) => "webhook",
        }
    }

    pub fn id(&self) -> String {
        match self {
            Target::Organization(id) => id.to_string(),
            Target::User(id) | Target::Membership { user: id, .. } => id.to_string(),
            Target::Session(id) => id.to_string(),
            Target::Invitation { id, .. } => id.to_string(),
            Target::ApiKey { id, .. } => id.to_string(),
            Target::Role { key, .. } => key.clone(),
            Target::Team { id, .. } | Target::ProjectAccess { team: id, .. } => id.to_string(),
            Target::TeamMember { user, .. } => user.to_string(),
            Target::Project { id, .. } => id.to_string(),
            Target::SigningKey(kid) => kid.clone(),
            Target::Webhook(id) => id.to_string(),
        }
    }
}

/// The actor for an event caused by this user (when it is not the caller).
pub(crate) fn user_actor(user: &roster_store::users::UserRow) -> Actor {
    Actor::User {
        id: user.id,
        email: user.email.clone(),
    }
}
