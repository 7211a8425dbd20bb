//! An invitation as operations return it: never with its token or the token's hash.

use chrono::{DateTime, Utc};
use roster_domain::{InvitationId, InvitationState, Role, UserId};
use roster_store::invitations::InvitationRow;
use roster_store::{OrganizationRow, Ts};

use crate::organizations::Organization;

#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub id: InvitationId,
    /// The organization it invites to.
    pub organization: Organization,
    /// Where it was sent (lowercased).
    pub email: String,
    pub role: Role,
    /// As of the read: `expired` for a pending invitation whose time is up.
    pub state: InvitationState,
    /// The user who sent it (`None` when an API key or the operator did).
    pub invited_by: Option<UserId>,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub declined_at: Option<DateTime<Utc>>,
    /// The state as stored, which its ETag follows (an invitation expires without a write).
    recorded_state: InvitationState,
}

impl Invitation {
    /// The invitation of `organization` as a reader sees it at `now`.
    pub(crate) fn read_at(row: InvitationRow, organization: OrganizationRow, now: Ts) -> Self {
        let state = match row.state {
            InvitationState::Pending if row.expires_at <= now => InvitationState::Expired,
            recorded => recorded,
        };
        Invitation {
            id: row.id,
            organization: organization.into(),
            email: row.email,
            role: row.role,
            state,
            invited_by: row.invited_by,
            expires_at: row.expires_at.0,
            created_at: row.created_at.0,
            accepted_at: row.accepted_at.map(|at| at.0),
            revoked_at: row.revoked_at.map(|at| at.0),
            declined_at: row.declined_at.map(|at| at.0),
            recorded_state: row.state,
        }
    }

    /// A strong validator that changes when the invitation is accepted, revoked or declined.
    pub fn etag(&self) -> String {
        validator(self.id, self.recorded_state)
    }
}

/// The ETag of an invitation as last written (what `If-Match` is compared with).
pub(crate) fn etag(invitation: &InvitationRow) -> String {
    validator(invitation.id, invitation.state)
}

fn validator(id: InvitationId, state: InvitationState) -> String {
    format!("\"{}-{}\"", id.as_uuid().simple(), state.as_str())
}
