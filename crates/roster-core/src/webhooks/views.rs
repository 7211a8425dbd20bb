//! Endpoints, deliveries and attempts as operations return them: never an endpoint's secrets
//! (a new secret is shown once, by [`super::CreatedWebhook`]).

use chrono::{DateTime, Utc};
use roster_domain::{DeliveryId, EventId, OrganizationId, WebhookId};
use roster_store::webhooks::{AttemptRow, DeliveryRow, EndpointRow};

use crate::precondition::etag_of;

/// An endpoint that events are sent to.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: WebhookId,
    pub url: String,
    pub description: Option<String>,
    /// The event types it receives (empty: all).
    pub event_types: Vec<String>,
    /// Only this organization's events, when set.
    pub organization_id: Option<OrganizationId>,
    pub enabled: bool,
    /// Why it was turned off, when it was.
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Webhook {
    /// A strong validator that changes with every change to the endpoint.
    pub fn etag(&self) -> String {
        etag_of(self.id.as_uuid(), self.updated_at)
    }
}

impl From<EndpointRow> for Webhook {
    fn from(row: EndpointRow) -> Webhook {
        Webhook {
            id: row.id,
            url: row.url,
            description: row.description,
            event_types: row.event_types,
            organization_id: row.organization_id,
            enabled: row.enabled,
            disabled_reason: row.disabled_reason,
            created_at: row.created_at.0,
            updated_at: row.updated_at.0,
        }
    }
}

/// One event (or test message) on its way to one endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: DeliveryId,
    pub endpoint_id: WebhookId,
    /// `None` for a test message.
    pub event_id: Option<EventId>,
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_response_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRow> for Delivery {
    fn from(row: DeliveryRow) -> Delivery {
        Delivery {
            id: row.id,
            endpoint_id: row.endpoint_id,
            event_id: row.event_id,
            event_type: row.event_type,
            status: row.status,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at.map(|at| at.0),
            last_response_status: row.last_response_status,
            last_error: row.last_error,
            created_at: row.created_at.0,
            delivered_at: row.delivered_at.map(|at| at.0),
        }
    }
}

/// One try at a delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// 1 for the first.
    pub number: i32,
    pub started_at: DateTime<Utc>,
    pub duration_ms: i64,
    /// The receiver's status code, when it answered.
    pub response_status: Option<i32>,
    pub error: Option<String>,
}

impl From<AttemptRow> for Attempt {
    fn from(row: AttemptRow) -> Attempt {
        Attempt {
            number: row.number,
            started_at: row.started_at.0,
            duration_ms: row.duration_ms,
            response_status: row.response_status,
            error: row.error,
        }
    }
}

/// The ETag of an endpoint as last written (what `If-Match` is compared with).
pub(crate) fn etag(endpoint: &EndpointRow) -> String {
    etag_of(endpoint.id.as_uuid(), endpoint.updated_at.0)
}
