//! The JSON of invitations.

use chrono::{DateTime, Utc};
use roster_core::invitations::CreatedInvitation as Created;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::list_schema;

/// An invitation to join an organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct Invitation {
    /// The invitation's id.
    pub id: Uuid,
    /// The organization it invites to.
    pub organization: InvitingOrganization,
    /// Who may accept it (compared case-insensitively with the account's email).
    #[schema(example = "grace@example.test")]
    pub email: String,
    /// The role the invitee gets.
    #[schema(example = "member")]
    pub role: String,
    /// `pending`, `accepted`, `revoked`, `expired` or `declined`.
    #[schema(example = "pending")]
    pub state: &'static str,
    /// Who invited (a user id), if known.
    pub invited_by: Option<Uuid>,
    /// When it stops working.
    #[serde(serialize_with = "crate::instants::write")]
    pub expires_at: DateTime<Utc>,
    /// When it was made.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When it was accepted.
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub accepted_at: Option<DateTime<Utc>>,
    /// When it was revoked (or replaced by a newer one).
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// When its invitee declined it.
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub declined_at: Option<DateTime<Utc>>,
}

/// The organization an invitation is to.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitingOrganization {
    /// The organization's id.
    pub id: Uuid,
    /// Its websafe name.
    #[schema(example = "acme-inc")]
    pub name: String,
    /// The name people read.
    #[schema(example = "Acme, Inc.")]
    pub display_name: String,
}

/// A new invitation, with the one-time token to hand to the invitee.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedInvitation {
    #[serde(flatten)]
    pub invitation: Invitation,
    /// The token the invitee accepts with: shown this once, never again. Roster mails it to
    /// the address (a link into the application, `ROSTER_APP_URL`); an application that
    /// delivers invitations itself can use it from here.
    #[schema(example = "rsi_5Qm0kS3rW8o1V6yZt2Xc9Bn4Hd7Jf0Lg3Pa6Re9Tu1w")]
    pub token: String,
}

/// Whom to invite.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "grace@example.test", "role": "member", "expires_in_hours": 72}))]
pub struct CreateInvitation {
    /// The invitee's email address (an account need not exist yet).
    #[schema(format = Email, example = "grace@example.test")]
    pub email: String,
    /// `owner` (owners only), `admin`, `member`, `viewer` or a custom role key.
    #[schema(example = "member", pattern = "^[a-z0-9_-]{1,62}$")]
    pub role: String,
    /// How long it works: 1 to 720 hours (default 168, a week).
    #[schema(minimum = 1, maximum = 720, example = 168)]
    pub expires_in_hours: Option<i64>,
}

/// The token to accept.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    /// The invitation's one-time token (`rsi_…`).
    #[schema(
        example = "rsi_5Qm0kS3rW8o1V6yZt2Xc9Bn4Hd7Jf0Lg3Pa6Re9Tu1w",
        pattern = "^rsi_[A-Za-z0-9_-]{43}$"
    )]
    pub token: String,
}

list_schema!(InvitationList, Invitation, "A page of invitations.");

pub fn invitation(invitation: &roster_core::invitations::Invitation) -> Invitation {
    let org = &invitation.organization;
    Invitation {
        id: invitation.id.as_uuid(),
        organization: InvitingOrganization {
            id: org.id.as_uuid(),
            name: org.name.clone(),
            display_name: org.display_name.clone(),
        },
        email: invitation.email.clone(),
        role: invitation.role.as_str().to_owned(),
        state: invitation.state.as_str(),
        invited_by: invitation.invited_by.map(|id| id.as_uuid()),
        expires_at: invitation.expires_at,
        created_at: invitation.created_at,
        accepted_at: invitation.accepted_at,
        revoked_at: invitation.revoked_at,
        declined_at: invitation.declined_at,
    }
}

pub fn created(created: &Created) -> CreatedInvitation {
    CreatedInvitation {
        invitation: invitation(&created.invitation),
        token: created.token.clone(),
    }
}
