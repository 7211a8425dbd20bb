//! `webhooks.update` and `webhooks.delete`.

use roster_domain::{FieldError, OrganizationId, WebhookId};
use roster_store::organizations;
use roster_store::webhooks;

use super::fields::{self, EventTypes};
use super::{etag, events, Webhook};
use crate::{Context, CoreError, Declared, Kind, Operation, Precondition, Requirement};

/// What a PATCH changes (`None`: leave it).
#[derive(Debug, Clone, Default)]
pub struct WebhookChanges {
    pub url: Option<String>,
    /// `Some(None)` clears it.
    pub description: Option<Option<String>>,
    pub event_types: Option<Vec<String>>,
    /// `Some(None)`: every organization's events.
    pub organization: Option<Option<OrganizationId>>,
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct UpdateWebhook {
    pub id: WebhookId,
    pub changes: WebhookChanges,
    pub precondition: Precondition,
}

impl Declared for UpdateWebhook {
    const NAME: &'static str = "webhooks.update";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Write;
}

impl Operation for UpdateWebhook {
    type Output = Webhook;

    fn run(self, cx: &mut Context<'_>) -> Result<Webhook, CoreError> {
        let mut endpoint =
            webhooks::lock_endpoint(cx.conn(), self.id)?.ok_or(CoreError::NotFound("webhook"))?;
        self.precondition.check(&etag(&endpoint))?;
        let changes = self.changes;
        let policy = cx.core().settings().webhooks.targets;
        let url = changes.url.map(|raw| fields::url(&raw, policy)).transpose();
        let description = changes.description.map(fields::description).transpose();
        let event_types = changes.event_types.map(EventTypes::parse).transpose();
        fields::all_valid(vec![
            url.as_ref().err().cloned(),
            description.as_ref().err().cloned(),
            event_types.as_ref().err().cloned(),
        ])?;
        if let Some(url) = url? {
            endpoint.url = url;
        }
        if let Some(description) = description? {
            endpoint.description = description;
        }
        if let Some(event_types) = event_types? {
            endpoint.event_types = event_types.into_vec();
        }
        if let Some(organization) = changes.organization {
            if let Some(id) = organization {
                if organizations::find(cx.conn(), id)?.is_none() {
                    return Err(CoreError::field(FieldError::new(
                        "organization_id",
                        "not_found",
                        "no organization has this id",
                    )));
                }
            }
            endpoint.organization_id = organization;
        }
        match changes.enabled {
            Some(true) if !endpoint.enabled => {
                // Re-enabled: it starts over, however long it had been failing.
                endpoint.enabled = true;
                endpoint.disabled_reason = None;
                endpoint.failing_since = None;
            }
            Some(false) if endpoint.enabled => {
                endpoint.enabled = false;
                endpoint.disabled_reason = Some("manual".into());
            }
            _ => {}
        }
        endpoint.updated_at = cx.now();
        webhooks::save_endpoint(cx.conn(), &endpoint)?;
        cx.record(events::endpoint_event::<events::WebhookUpdated>(&endpoint));
        Ok(endpoint.into())
    }
}

#[derive(Debug, Clone)]
pub struct DeleteWebhook {
    pub id: WebhookId,
    pub precondition: Precondition,
}

impl Declared for DeleteWebhook {
    const NAME: &'static str = "webhooks.delete";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Write;
}

impl Operation for DeleteWebhook {
    type Output = ();

    /// Its deliveries go with it: nothing more is sent to it.
    fn run(self, cx: &mut Context<'_>) -> Result<(), CoreError> {
        let endpoint =
            webhooks::lock_endpoint(cx.conn(), self.id)?.ok_or(CoreError::NotFound("webhook"))?;
        self.precondition.check(&etag(&endpoint))?;
        webhooks::delete_endpoint(cx.conn(), endpoint.id)?;
        cx.record(events::endpoint_event::<events::WebhookDeleted>(&endpoint));
        Ok(())
    }
}
