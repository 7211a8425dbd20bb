//! What session operations record in the audit log.

use roster_domain::{OrganizationId, SessionId};
use serde_json::json;

use crate::events::{Event, Target};

pub fn created(session: SessionId, organization: Option<OrganizationId>) -> Event {
    Event::new("session.created", Target::Session(session))
        .data(json!({"organization_id": organization}))
}

/// Why a session ended: `signed_out`, `refresh_token_reused`, `password_changed`,
/// `user_disabled`.
pub fn revoked(session: SessionId, reason: &'static str) -> Event {
    Event::new("session.revoked", Target::Session(session)).data(json!({"reason": reason}))
}
