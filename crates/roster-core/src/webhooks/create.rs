//! `webhooks.create`: a new endpoint, and its secret shown this once.

use roster_domain::{OrganizationId, WebhookId};
use roster_store::organizations;
use roster_store::webhooks::{self, EndpointRow};
use roster_webhooks::Secret;

use super::fields::{self, EventTypes};
use super::{events, secrets, Webhook};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement, Secrets};

#[derive(Debug, Clone)]
pub struct CreateWebhook {
    pub url: String,
    pub description: Option<String>,
    pub event_types: Vec<String>,
    pub organization: Option<OrganizationId>,
    /// Off: created disabled (`disabled_reason: manual`).
    pub enabled: bool,
}

/// The endpoint and its secret (`whsec_…`), which is never shown again.
#[derive(Clone)]
pub struct CreatedWebhook {
    pub endpoint: Webhook,
    pub secret: Secret,
}

impl Declared for CreateWebhook {
    const NAME: &'static str = "webhooks.create";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::IN_RESPONSE;
}

impl Operation for CreateWebhook {
    type Output = CreatedWebhook;

    fn run(self, cx: &mut Context<'_>) -> Result<CreatedWebhook, CoreError> {
        let policy = cx.core().settings().webhooks.targets;
        let url = fields::url(&self.url, policy);
        let description = fields::description(self.description);
        let event_types = EventTypes::parse(self.event_types);
        fields::all_valid(vec![
            url.as_ref().err().cloned(),
            description.as_ref().err().cloned(),
            event_types.as_ref().err().cloned(),
        ])?;
        let (url, description, event_types) = (url?, description?, event_types?);
        if let Some(organization) = self.organization {
            if organizations::find(cx.conn(), organization)?.is_none() {
                return Err(CoreError::field(roster_domain::FieldError::new(
                    "organization_id",
                    "not_found",
                    "no organization has this id",
                )));
            }
        }
        let id = WebhookId::new();
        let secret = Secret::generate();
        let now = cx.now();
        let endpoint = EndpointRow {
            id,
            url,
            description,
            event_types: event_types.into_vec(),
            organization_id: self.organization,
            enabled: self.enabled,
            disabled_reason: (!self.enabled).then(|| "manual".to_owned()),
            secret: secrets::seal(cx.core(), id, &secret)?,
            previous_secret: None,
            previous_secret_until: None,
            failing_since: None,
            created_at: now,
            updated_at: now,
        };
        webhooks::insert_endpoint(cx.conn(), &endpoint)?;
        cx.record(events::endpoint_event::<events::WebhookCreated>(&endpoint));
        Ok(CreatedWebhook {
            endpoint: endpoint.into(),
            secret,
        })
    }
}
