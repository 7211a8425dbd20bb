//! `webhooks.rotate_secret`: a new secret; the old one signs beside it for 24 hours, so
//! receivers can switch without losing a message.

use roster_domain::WebhookId;
use roster_store::webhooks;
use roster_webhooks::Secret;

use super::{events, secrets, CreatedWebhook, ROTATION_OVERLAP};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement, Secrets};

#[derive(Debug, Clone)]
pub struct RotateWebhookSecret {
    pub id: WebhookId,
}

impl Declared for RotateWebhookSecret {
    const NAME: &'static str = "webhooks.rotate_secret";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_RESPONSE;
}

impl Operation for RotateWebhookSecret {
    type Output = CreatedWebhook;

    fn run(self, cx: &mut Context<'_>) -> Result<CreatedWebhook, CoreError> {
        let mut endpoint =
            webhooks::lock_endpoint(cx.conn(), self.id)?.ok_or(CoreError::NotFound("webhook"))?;
        let secret = Secret::generate();
        let now = cx.now();
        // A second rotation within the overlap drops the oldest: two secrets at most.
        endpoint.previous_secret = Some(std::mem::replace(
            &mut endpoint.secret,
            secrets::seal(cx.core(), endpoint.id, &secret)?,
        ));
        endpoint.previous_secret_until = Some(roster_store::Ts(now.0 + ROTATION_OVERLAP));
        endpoint.updated_at = now;
        webhooks::save_endpoint(cx.conn(), &endpoint)?;
        cx.record(events::endpoint_event::<events::WebhookSecretRotated>(
            &endpoint,
        ));
        Ok(CreatedWebhook {
            endpoint: endpoint.into(),
            secret,
        })
    }
}
