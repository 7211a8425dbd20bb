//! `webhooks.get` and `webhooks.list`.

use roster_domain::WebhookId;
use roster_store::webhooks;

use super::Webhook;

use crate::pagination::Listed;
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct GetWebhook {
    pub id: WebhookId,
}

impl Declared for GetWebhook {
    const NAME: &'static str = "webhooks.get";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Read;
}

impl Operation for GetWebhook {
    type Output = Webhook;

    fn run(self, cx: &mut Context<'_>) -> Result<Webhook, CoreError> {
        webhooks::find_endpoint(cx.conn(), self.id)?
            .map(Webhook::from)
            .ok_or(CoreError::NotFound("webhook"))
    }
}

#[derive(Debug, Clone)]
pub struct ListWebhooks {
    pub after: Option<WebhookId>,
    /// Rows per page; one more is read, to tell whether more follow.
    pub limit: i64,
    pub include_total: bool,
}

impl Declared for ListWebhooks {
    const NAME: &'static str = "webhooks.list";
    const REQUIRES: Requirement = Requirement::PlatformAdmin;
    const KIND: Kind = Kind::Read;
}

impl Operation for ListWebhooks {
    type Output = Listed<Webhook>;

    fn run(self, cx: &mut Context<'_>) -> Result<Listed<Webhook>, CoreError> {
        let rows = webhooks::list_endpoints(cx.conn(), self.after, self.limit + 1)?;
        let total = if self.include_total {
            Some(webhooks::count_endpoints(cx.conn())?)
        } else {
            None
        };
        Ok(Listed { rows, total }.map(Webhook::from))
    }
}
