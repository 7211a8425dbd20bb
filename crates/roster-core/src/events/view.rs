//! An event as the API shows it and webhook messages carry it: one shape, defined once.

use chrono::{DateTime, Utc};
use roster_store::events::{Actor as ActorRow, EventRow};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

/// One change Roster made, as the audit log keeps it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// The event's id (a UUIDv7).
    pub id: Uuid,
    /// Its number in its organization's log (or, outside organizations, in the platform's):
    /// consecutive, without gaps, in the order the changes committed.
    #[cfg_attr(feature = "openapi", schema(example = 42))]
    pub sequence: i64,
    /// What happened, e.g. `organization.updated`, `membership.created`, `user.disabled`.
    #[serde(rename = "type")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = super::EventType, example = "organization.updated")
    )]
    pub kind: String,
    /// The organization it happened in, if any.
    pub organization_id: Option<Uuid>,
    /// Who made the change.
    pub actor: Actor,
    /// What the change was made to.
    pub target: Target,
    /// What changed (for updates, each field's `from` and `to`); never a secret.
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::HashMap<String, Value>, additional_properties = true, example = json!({"changes": {"display_name": {"from": "Acme", "to": "Acme, Inc."}}})))]
    pub data: Value,
    /// The `X-Request-Id` of the request that made it.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "01939a3e-6c1f-7b2a-9d2e-6f1c2b3a4d5e")
    )]
    pub request_id: Option<String>,
    /// Where that request came from.
    pub context: Context,
    /// When it happened.
    pub created_at: DateTime<Utc>,
    /// Its place in the log of every organization, in commit order (`None` until the
    /// sequencer has numbered it); what the platform-wide list pages by. Not shown.
    #[serde(skip)]
    pub position: Option<i64>,
}

/// Who made a change: a user, an API key, or Roster itself (its operator at the console, or its
/// own upkeep such as removing expired memberships).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    /// `user`, `api_key` or `system`.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(example = "user"))]
    pub kind: &'static str,
    /// The user's or the API key's id.
    pub id: Option<Uuid>,
    /// The user's email address when the change was made (a user only).
    #[cfg_attr(feature = "openapi", schema(example = "ada@example.test"))]
    pub email: Option<String>,
}

/// What a change was made to.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Target {
    /// `organization`, `membership`, `user` or `session`.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(example = "organization"))]
    pub kind: String,
    /// Its id (for a membership, the member's user id).
    #[cfg_attr(
        feature = "openapi",
        schema(example = "01939a3e-5b0a-7c3d-8e1f-2a3b4c5d6e7f")
    )]
    pub id: String,
}

/// Where the request that made a change came from.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Context {
    /// The client's address (behind a trusted proxy, the one it forwarded for).
    #[cfg_attr(feature = "openapi", schema(example = "203.0.113.7"))]
    pub ip: Option<String>,
    /// The client's `User-Agent`.
    #[cfg_attr(feature = "openapi", schema(example = "curl/8.5.0"))]
    pub user_agent: Option<String>,
}

impl From<EventRow> for Event {
    fn from(row: EventRow) -> Self {
        let actor = match row.actor() {
            ActorRow::User { id, email } => Actor {
                kind: "user",
                id: Some(id.as_uuid()),
                email: Some(email),
            },
            ActorRow::ApiKey { id } => Actor {
                kind: "api_key",
                id: Some(id.as_uuid()),
                email: None,
            },
            ActorRow::System => Actor {
                kind: "system",
                id: None,
                email: None,
            },
        };
        Event {
            id: row.id.as_uuid(),
            sequence: row.sequence,
            kind: row.kind,
            organization_id: row.organization_id.map(|id| id.as_uuid()),
            actor,
            target: Target {
                kind: row.target_type,
                id: row.target_id,
            },
            data: row.data.0,
            request_id: row.request_id,
            context: Context {
                ip: row.ip,
                user_agent: row.user_agent,
            },
            created_at: row.created_at.0,
            position: row.position,
        }
    }
}
