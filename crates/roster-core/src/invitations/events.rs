//! What invitation operations record in the audit log (never the token).

use chrono::{DateTime, Utc};
use roster_store::invitations::InvitationRow;
use serde::{Deserialize, Serialize};

use crate::events::{Event, Target};

/// `invitation.created`: Roster mails the invitation to the address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationCreated {
    /// The address invited.
    pub email: String,
    /// The role the invitee gets on joining.
    pub role: String,
    /// When it can no longer be accepted.
    pub expires_at: DateTime<Utc>,
}

/// `invitation.accepted`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationAccepted {
    /// The address invited.
    pub email: String,
    /// The role the invitee gets on joining.
    pub role: String,
}

/// `invitation.revoked`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationRevoked {
    /// The address invited.
    pub email: String,
    /// `revoked`, `replaced` (by a newer invitation), or why its sender's standing or key ended
    /// it (`member_left`, `user_disabled`, `api_key_revoked`, …).
    pub reason: String,
}

/// `invitation.expired`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationExpired {
    /// The address invited.
    pub email: String,
    /// The role the invitee gets on joining.
    pub role: String,
    /// When it passed its time.
    pub expired_at: DateTime<Utc>,
}

/// `invitation.declined`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationDeclined {
    /// The address invited.
    pub email: String,
    /// The role the invitee would have had.
    pub role: String,
}

/// `invitation.resent`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationResent {
    /// The address invited.
    pub email: String,
}

fn target(invitation: &InvitationRow) -> Target {
    Target::Invitation {
        organization: invitation.organization_id,
        id: invitation.id,
    }
}

pub fn created(invitation: &InvitationRow) -> Event {
    Event::of(
        target(invitation),
        InvitationCreated {
            email: invitation.email.clone(),
            role: invitation.role.as_str().to_owned(),
            expires_at: invitation.expires_at.0,
        },
    )
}

pub fn accepted(invitation: &InvitationRow) -> Event {
    Event::of(
        target(invitation),
        InvitationAccepted {
            email: invitation.email.clone(),
            role: invitation.role.as_str().to_owned(),
        },
    )
}

pub fn revoked(invitation: &InvitationRow, reason: &str) -> Event {
    Event::of(
        target(invitation),
        InvitationRevoked {
            email: invitation.email.clone(),
            reason: reason.to_owned(),
        },
    )
}

pub fn expired(invitation: &InvitationRow) -> Event {
    Event::of(
        target(invitation),
        InvitationExpired {
            email: invitation.email.clone(),
            role: invitation.role.as_str().to_owned(),
            expired_at: invitation.expires_at.0,
        },
    )
}

pub fn declined(invitation: &InvitationRow) -> Event {
    Event::of(
        target(invitation),
        InvitationDeclined {
            email: invitation.email.clone(),
            role: invitation.role.as_str().to_owned(),
        },
    )
}

pub fn resent(invitation: &InvitationRow) -> Event {
    Event::of(
        target(invitation),
        InvitationResent {
            email: invitation.email.clone(),
        },
    )
}
