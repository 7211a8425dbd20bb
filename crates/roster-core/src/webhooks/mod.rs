//! Webhooks: endpoints that events are sent to (platform admins manage them), their
//! deliveries, and the dispatcher that makes the attempts.
//!
//! Events reach endpoints through the outbox ([`crate::outbox`]): the sequencer queues one
//! delivery per event and matching endpoint, and the dispatcher ([`dispatch`]) claims due
//! deliveries, sends them signed (Standard Webhooks) and records each attempt.

mod create;
mod deliveries;
pub mod dispatch;
mod edit;
pub(crate) mod events;
mod fields;
mod message;
mod read;
mod rotate;
mod secrets;
mod test_message;
mod views;

pub use create::{CreateWebhook, CreatedWebhook};
pub use deliveries::{ListAttempts, ListDeliveries, RetryDelivery};
pub use edit::{DeleteWebhook, UpdateWebhook, WebhookChanges};
pub use fields::{DeliveryStatus, EventTypes};
pub use read::{GetWebhook, ListWebhooks};
pub use rotate::RotateWebhookSecret;
pub use test_message::{SendTestMessage, TestMessage};
pub(crate) use views::etag;
pub use views::{Attempt, Delivery, Webhook};

use crate::CoreError;

/// How long a replaced secret goes on signing beside the new one.
pub const ROTATION_OVERLAP: chrono::Duration = chrono::Duration::hours(24);

/// How long an endpoint may fail every attempt before it is disabled.
pub const FAILING_FOR: chrono::Duration = chrono::Duration::days(5);

impl crate::Core {
    /// Checks, before an endpoint is saved, that every address `url`'s host resolves to now
    /// is one messages may go to (the form of the URL is checked by the operation itself).
    /// Resolving takes a blocking thread, never a database slot.
    pub async fn check_webhook_target(&self, url: &str) -> Result<(), CoreError> {
        let policy = self.settings().webhooks.targets;
        if policy.allow_private {
            return Ok(());
        }
        let url = url.trim().to_owned();
        tokio::task::spawn_blocking(move || policy.check_resolved(&url).map(|_| ()))
            .await
            .map_err(|e| CoreError::Internal(format!("target check failed: {e}")))?
            .map_err(|error| {
                CoreError::field(roster_domain::FieldError::new(
                    "url",
                    "invalid_target",
                    error.to_string(),
                ))
            })
    }
}

impl crate::Core {
    /// How long the oldest delivery still pending has waited (for metrics): `None` when none
    /// waits. It grows when receivers fail or the dispatchers fall behind.
    pub async fn oldest_pending_delivery_age(
        &self,
    ) -> Result<Option<std::time::Duration>, CoreError> {
        let db = self.db().clone();
        let oldest = self
            .blocking(move || {
                db.read(|conn| {
                    roster_store::webhooks::oldest_pending(conn).map_err(CoreError::from)
                })
            })
            .await?;
        Ok(oldest.map(|at| (chrono::Utc::now() - at.0).to_std().unwrap_or_default()))
    }
}
