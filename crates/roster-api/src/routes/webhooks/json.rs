//! Webhook endpoints, deliveries and attempts as JSON.

use chrono::{DateTime, Utc};
use roster_core::webhooks as core;
use roster_core::webhooks::CreatedWebhook;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::extract::{double_option, from_query_text};
use crate::list_schema;

/// A URL that events are sent to, signed as Standard Webhooks says.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    /// The endpoint's id.
    pub id: Uuid,
    /// Where messages are POSTed: `https`, to a public address.
    #[schema(example = "https://app.example.com/hooks/roster")]
    pub url: String,
    /// What it is for (up to 500 characters).
    #[schema(example = "Provisioning in the billing service")]
    pub description: Option<String>,
    /// Which events it gets: types (`organization.created`) and prefixes (`membership.*`);
    /// empty for every type.
    #[schema(example = json!(["organization.*", "membership.deleted"]))]
    pub event_types: Vec<String>,
    /// Only this organization's events (`null`: every organization's, and the platform's).
    pub organization_id: Option<Uuid>,
    /// Whether events are sent to it.
    pub enabled: bool,
    /// Why it is disabled: `manual` (someone switched it off) or `failing` (every attempt
    /// failed for 5 days). PATCH `{"enabled": true}` starts it again.
    #[schema(example = json!(null))]
    pub disabled_reason: Option<String>,
    /// When it was created: it gets the events recorded from then on.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(serialize_with = "crate::instants::write")]
    pub updated_at: DateTime<Utc>,
}

pub fn webhook(endpoint: &core::Webhook) -> Webhook {
    Webhook {
        id: endpoint.id.as_uuid(),
        url: endpoint.url.clone(),
        description: endpoint.description.clone(),
        event_types: endpoint.event_types.clone(),
        organization_id: endpoint.organization_id.map(|id| id.as_uuid()),
        enabled: endpoint.enabled,
        disabled_reason: endpoint.disabled_reason.clone(),
        created_at: endpoint.created_at,
        updated_at: endpoint.updated_at,
    }
}

/// An endpoint with its signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// The signing secret (`whsec_` and base64): give it to your Standard Webhooks library.
    /// It is not shown again.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
}

pub fn with_secret(made: &CreatedWebhook) -> WebhookWithSecret {
    WebhookWithSecret {
        webhook: webhook(&made.endpoint),
        secret: made.secret.reveal(),
    }
}

/// A new endpoint.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    /// Where messages are POSTed: `https`, to a public address (unless the server allows
    /// private targets).
    #[schema(example = "https://app.example.com/hooks/roster", max_length = 2048)]
    pub url: String,
    /// What it is for (up to 500 characters).
    #[schema(max_length = 500)]
    pub description: Option<String>,
    /// Types and `.*` prefixes (at most 100); empty or absent: every type.
    #[serde(default)]
    #[schema(example = json!(["organization.*", "membership.*"]), max_items = 100, inline)]
    pub event_types: Vec<EventPattern>,
    /// Only this organization's events.
    pub organization_id: Option<Uuid>,
    /// Created switched off when false (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// A JSON merge patch of an endpoint.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhook {
    /// A new URL (checked as on creation).
    #[schema(max_length = 2048)]
    pub url: Option<String>,
    /// A new description; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub description: Option<Option<String>>,
    /// New types and prefixes; `[]`: every type.
    #[schema(max_items = 100)]
    pub event_types: Option<Vec<EventPattern>>,
    /// `null`: every organization's events.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub organization_id: Option<Option<Uuid>>,
    /// `true` starts a disabled endpoint again (whatever the reason); `false` stops it.
    pub enabled: Option<bool>,
}

/// An event type (`organization.created`) or a prefix ending in `.*` (`membership.*`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(
    value_type = String,
    pattern = "^([a-z0-9._-]{1,100}|[a-z0-9._-]{0,99}\\.\\*)$",
    example = "membership.*"
)]
pub struct EventPattern(pub String);

/// One event (or test message) on its way to one endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    /// Also the `webhook-id` header of its messages: the same on every attempt, so a receiver
    /// can drop a message it has already handled.
    pub id: Uuid,
    /// The event it carries (`null` for a test message).
    pub event_id: Option<Uuid>,
    /// The message's `type`.
    #[schema(example = "membership.created")]
    pub event_type: String,
    /// `pending` (on its way, or waiting for a retry), `succeeded` or `failed` (retries used up).
    #[schema(example = "succeeded")]
    pub status: String,
    /// Attempts made so far.
    #[schema(example = 1)]
    pub attempts: i32,
    /// When the next attempt is due (pending deliveries).
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The status code of the last answer, if there was one.
    #[schema(example = 200)]
    pub last_response_status: Option<i32>,
    /// Why the last attempt failed: `timeout`, `connection`, `dns`, `tls`, `redirect`,
    /// `status` (a non-2xx answer), `forbidden_address`, `invalid_response` or
    /// `endpoint_disabled`.
    #[schema(example = json!(null))]
    pub last_error: Option<String>,
    /// When it was queued.
    #[serde(serialize_with = "crate::instants::write")]
    pub created_at: DateTime<Utc>,
    /// When an attempt succeeded.
    #[serde(serialize_with = "crate::instants::write_optional")]
    pub delivered_at: Option<DateTime<Utc>>,
}

pub fn delivery(delivery: &core::Delivery) -> Delivery {
    Delivery {
        id: delivery.id.as_uuid(),
        event_id: delivery.event_id.map(|id| id.as_uuid()),
        event_type: delivery.event_type.clone(),
        status: delivery.status.clone(),
        attempts: delivery.attempts,
        next_attempt_at: delivery.next_attempt_at,
        last_response_status: delivery.last_response_status,
        last_error: delivery.last_error.clone(),
        created_at: delivery.created_at,
        delivered_at: delivery.delivered_at,
    }
}

/// One try at a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attempt {
    /// 1 for the first.
    #[schema(example = 1)]
    pub number: i32,
    /// When it started.
    #[serde(serialize_with = "crate::instants::write")]
    pub started_at: DateTime<Utc>,
    /// How long it took, in milliseconds (at most 15,000).
    #[schema(example = 84)]
    pub duration_ms: i64,
    /// The receiver's status code, when it answered.
    #[schema(example = 500)]
    pub response_status: Option<i32>,
    /// As a delivery's `last_error`; `null` for a success.
    #[schema(example = "status")]
    pub error: Option<String>,
}

pub fn attempt(attempt: core::Attempt) -> Attempt {
    Attempt {
        number: attempt.number,
        started_at: attempt.started_at,
        duration_ms: attempt.duration_ms,
        response_status: attempt.response_status,
        error: attempt.error,
    }
}

/// Cursor pages (`limit`, `after`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CursorParams {
    /// Rows per page (1..1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    #[serde(default, deserialize_with = "from_query_text")]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
}

/// Which deliveries to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryFilter {
    /// Only deliveries in this state.
    #[param(inline, value_type = Option<String>, pattern = "^(pending|succeeded|failed)$")]
    pub status: Option<String>,
}

list_schema!(
    WebhookList,
    Webhook,
    "A page of webhook endpoints, oldest first."
);
list_schema!(
    DeliveryList,
    Delivery,
    "A page of deliveries, newest first."
);
list_schema!(
    AttemptList,
    Attempt,
    "A page of a delivery's attempts, in order."
);

/// Where the next page of endpoints starts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct AfterId {
    pub after: Uuid,
}

/// Where the next page of attempts starts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct AfterNumber {
    pub after: i32,
}

impl CursorParams {
    /// The page asked for, with its cursor decoded.
    pub fn page<C: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<roster_core::pagination::Page<C>, crate::error::ApiError> {
        let limit = self.limit.unwrap_or(100);
        if !(1..=1000).contains(&limit) {
            return Err(crate::error::ApiError::BadRequest(
                "limit must be between 1 and 1000".into(),
            ));
        }
        let after = self
            .after
            .as_deref()
            .map(roster_core::pagination::decode_cursor)
            .transpose()?;
        Ok(roster_core::pagination::Page::Cursor {
            after,
            limit,
            include_total: false,
        })
    }
}
