//! `webhooks.test`: a `webhook.test` message to one endpoint, delivered (and retried) like any
//! other, so that a receiver can be checked end to end.

use chrono::{DateTime, Utc};
use roster_domain::WebhookId;
use roster_store::webhooks::{self, DeliveryRow};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::Delivery;
use crate::events::catalogue::TEST_MESSAGE_TYPE;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct SendTestMessage {
    pub id: WebhookId,
}

impl Declared for SendTestMessage {
    const NAME: &'static str = "webhooks.test";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Write;
}

impl Operation for SendTestMessage {
    type Output = Delivery;

    fn run(self, cx: &mut Context<'_>) -> Result<Delivery, CoreError> {
        let endpoint =
            webhooks::find_endpoint(cx.conn(), self.id)?.ok_or(CoreError::NotFound("webhook"))?;
        let now = cx.now();
        let data = TestMessage {
            webhook_id: endpoint.id.as_uuid(),
            message: "This is a test message from Roster.".to_owned(),
            created_at: now.0,
        };
        let delivery =
            DeliveryRow::new(endpoint.id, None, TEST_MESSAGE_TYPE, Some(json!(data)), now);
        webhooks::insert_deliveries(cx.conn(), std::slice::from_ref(&delivery))?;
        cx.core().deliveries_due().notify_one();
        Ok(delivery.into())
    }
}

/// The `data` of a `webhook.test` message (no event: it is not in the audit log).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestMessage {
    /// The endpoint it was sent to.
    pub webhook_id: Uuid,
    /// A sentence saying what this is.
    pub message: String,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}
