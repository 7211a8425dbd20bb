//! `webhooks.deliveries.list`, `webhooks.attempts.list` and `webhooks.deliveries.retry`.

use roster_domain::{DeliveryId, WebhookId};
use roster_store::webhooks;

use super::{Attempt, Delivery, DeliveryStatus};
use crate::pagination::Listed;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct ListDeliveries {
    pub endpoint: WebhookId,
    pub status: Option<DeliveryStatus>,
    /// Continue after (older than) this delivery.
    pub after: Option<DeliveryId>,
    pub limit: i64,
}

impl Declared for ListDeliveries {
    const NAME: &'static str = "webhooks.deliveries.list";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Read;
}

impl Operation for ListDeliveries {
    type Output = Listed<Delivery>;

    /// Newest first.
    fn run(self, cx: &mut Context<'_>) -> Result<Listed<Delivery>, CoreError> {
        webhooks::find_endpoint(cx.conn(), self.endpoint)?.ok_or(CoreError::NotFound("webhook"))?;
        let rows = webhooks::list_deliveries(
            cx.conn(),
            self.endpoint,
            self.status.map(DeliveryStatus::as_str),
            self.after,
            self.limit + 1,
        )?;
        Ok(Listed { rows, total: None }.map(Delivery::from))
    }
}

#[derive(Debug, Clone)]
pub struct ListAttempts {
    pub endpoint: WebhookId,
    pub delivery: DeliveryId,
    /// Continue after this attempt number (0: from the first).
    pub after: i32,
    pub limit: i64,
}

impl Declared for ListAttempts {
    const NAME: &'static str = "webhooks.attempts.list";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Read;
}

impl Operation for ListAttempts {
    type Output = Listed<Attempt>;

    fn run(self, cx: &mut Context<'_>) -> Result<Listed<Attempt>, CoreError> {
        webhooks::find_delivery(cx.conn(), self.endpoint, self.delivery)?
            .ok_or(CoreError::NotFound("delivery"))?;
        let rows = webhooks::list_attempts(cx.conn(), self.delivery, self.after, self.limit + 1)?;
        Ok(Listed { rows, total: None }.map(Attempt::from))
    }
}

#[derive(Debug, Clone)]
pub struct RetryDelivery {
    pub endpoint: WebhookId,
    pub delivery: DeliveryId,
}

impl Declared for RetryDelivery {
    const NAME: &'static str = "webhooks.deliveries.retry";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Write;
}

impl Operation for RetryDelivery {
    type Output = Delivery;

    /// Due now, whatever its state: a failed delivery gets a fresh attempt (and, if that
    /// fails, the retry schedule from where it stood).
    fn run(self, cx: &mut Context<'_>) -> Result<Delivery, CoreError> {
        webhooks::find_delivery(cx.conn(), self.endpoint, self.delivery)?
            .ok_or(CoreError::NotFound("delivery"))?;
        let now = cx.now();
        webhooks::retry_now(cx.conn(), self.delivery, now)?;
        cx.core().deliveries_due().notify_one();
        webhooks::find_delivery(cx.conn(), self.endpoint, self.delivery)?
            .map(Delivery::from)
            .ok_or(CoreError::NotFound("delivery"))
    }
}
