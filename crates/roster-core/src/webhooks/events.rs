//! The events webhook endpoints' changes record (never a secret). Each type shows the endpoint
//! as it is after the change.

use roster_store::webhooks::EndpointRow;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::events::{Event, Payload, Target};

/// An endpoint as its events show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpoint {
    /// Where its messages go.
    pub url: String,
    /// The types and `.*` prefixes it gets; empty: every type.
    pub event_types: Vec<String>,
    /// Only this organization's events, if set.
    pub organization_id: Option<Uuid>,
    /// Whether it gets messages.
    pub enabled: bool,
}

macro_rules! endpoint_payloads {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub WebhookEndpoint);

        impl From<WebhookEndpoint> for $name {
            fn from(endpoint: WebhookEndpoint) -> $name {
                $name(endpoint)
            }
        }
    )*};
}

endpoint_payloads! {
    /// `webhook.created`
    WebhookCreated;
    /// `webhook.updated`
    WebhookUpdated;
    /// `webhook.deleted`
    WebhookDeleted;
    /// `webhook.secret_rotated`
    WebhookSecretRotated;
    /// `webhook.disabled`
    WebhookDisabled;
}

/// The `P` event of `endpoint`, e.g. `endpoint_event::<WebhookCreated>(&row)`.
pub(crate) fn endpoint_event<P: Payload + From<WebhookEndpoint>>(endpoint: &EndpointRow) -> Event {
    let shown = WebhookEndpoint {
        url: endpoint.url.clone(),
        event_types: endpoint.event_types.clone(),
        organization_id: endpoint.organization_id.map(|id| id.as_uuid()),
        enabled: endpoint.enabled,
    };
    Event::of(Target::Webhook(endpoint.id), P::from(shown))
}
