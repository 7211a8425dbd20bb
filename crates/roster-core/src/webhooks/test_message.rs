//! `webhooks.test`: a `webhook.test` message to one endpoint, delivered (and retried) like any
//! other, so that a receiver can be checked end to end.

use roster_domain::WebhookId;
use roster_store::webhooks::{self, DeliveryRow};
use serde_json::json;

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
    type Output = DeliveryRow;

    fn run(self, cx: &mut Context<'_>) -> Result<DeliveryRow, CoreError> {
        let endpoint =
            webhooks::find_endpoint(cx.conn(), self.id)?.ok_or(CoreError::NotFound("webhook"))?;
        let now = cx.now();
        let data = json!({
            "webhook_id": endpoint.id,
            "message": "This is a test message from Roster.",
            "created_at": now.0,
        });
        let delivery = DeliveryRow::new(endpoint.id, None, "webhook.test", Some(data), now);
        webhooks::insert_deliveries(cx.conn(), std::slice::from_ref(&delivery))?;
        cx.core().deliveries_due().notify_one();
        Ok(delivery)
    }
}
