//! What session operations record in the audit log.

use roster_domain::{OrganizationId, SessionId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::events::{Event, Target};

/// `session.created`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionCreated {
    /// The organization the session's tokens are scoped to, if any.
    pub organization_id: Option<Uuid>,
}

/// `session.revoked`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRevoked {
    /// Why it ended: `signed_out`, `refresh_token_reused`, `password_changed`,
    /// `user_disabled`.
    pub reason: String,
}

pub fn created(session: SessionId, organization: Option<OrganizationId>) -> Event {
    Event::of(
        Target::Session(session),
        SessionCreated {
            organization_id: organization.map(|id| id.as_uuid()),
        },
    )
}

/// Why a session ended: `signed_out`, `refresh_token_reused`, `password_changed`,
/// `user_disabled`.
pub fn revoked(session: SessionId, reason: &'static str) -> Event {
    Event::of(
        Target::Session(session),
        SessionRevoked {
            reason: reason.to_owned(),
        },
    )
}
