//! What invitation operations record in the audit log (never the token).

use roster_store::invitations::InvitationRow;
use serde_json::json;

use crate::events::{Event, Target};

fn target(invitation: &InvitationRow) -> Target {
    Target::Invitation {
        organization: invitation.organization_id,
        id: invitation.id,
    }
}

/// `invitation.created`: the application sends the email from this event (Roster sends none).
pub fn created(invitation: &InvitationRow) -> Event {
    Event::new("invitation.created", target(invitation)).data(json!({
        "email": invitation.email,
        "role": invitation.role.as_str(),
        "expires_at": invitation.expires_at.0,
    }))
}

pub fn accepted(invitation: &InvitationRow) -> Event {
    Event::new("invitation.accepted", target(invitation)).data(json!({
        "email": invitation.email,
        "role": invitation.role.as_str(),
    }))
}

/// `invitation.revoked`; `reason` is `revoked`, `replaced` (by a newer invitation), or why its
/// sender's standing or key ended it (`member_left`, `user_disabled`, `api_key_revoked`, …).
pub fn revoked(invitation: &InvitationRow, reason: &str) -> Event {
    Event::new("invitation.revoked", target(invitation)).data(json!({
        "email": invitation.email,
        "reason": reason,
    }))
}
