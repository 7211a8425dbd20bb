//! Webhooks (platform admins): endpoints, their deliveries and attempts.

mod deliveries;
mod endpoints;
pub mod json;

use roster_domain::{DeliveryId, WebhookId};

use super::registry::Routes;
use crate::error::ApiError;

pub fn register(routes: &mut Routes) {
    routes.add(endpoints::__path_create_webhook, endpoints::create_webhook);
    routes.add(endpoints::__path_list_webhooks, endpoints::list_webhooks);
    routes.add(endpoints::__path_get_webhook, endpoints::get_webhook);
    routes.add(endpoints::__path_update_webhook, endpoints::update_webhook);
    routes.add(endpoints::__path_delete_webhook, endpoints::delete_webhook);
    routes.add(
        endpoints::__path_rotate_webhook_secret,
        endpoints::rotate_webhook_secret,
    );
    routes.add(
        endpoints::__path_send_webhook_test,
        endpoints::send_webhook_test,
    );
    routes.add(
        deliveries::__path_list_webhook_deliveries,
        deliveries::list_webhook_deliveries,
    );
    routes.add(
        deliveries::__path_list_delivery_attempts,
        deliveries::list_delivery_attempts,
    );
    routes.add(
        deliveries::__path_retry_webhook_delivery,
        deliveries::retry_webhook_delivery,
    );
}

fn webhook_id(raw: &str) -> Result<WebhookId, ApiError> {
    WebhookId::parse(raw).ok_or_else(|| ApiError::not_found("webhook"))
}

fn delivery_id(raw: &str) -> Result<DeliveryId, ApiError> {
    DeliveryId::parse(raw).ok_or_else(|| ApiError::not_found("delivery"))
}
