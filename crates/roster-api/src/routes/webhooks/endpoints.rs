//! `POST|GET /v1/webhooks`, `GET|PATCH|DELETE /v1/webhooks/{id}`,
//! `POST /v1/webhooks/{id}/rotate-secret` and `POST /v1/webhooks/{id}/test`.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::webhooks::{
    CreateWebhook, DeleteWebhook, GetWebhook, ListWebhooks, RotateWebhookSecret, SendTestMessage,
    UpdateWebhook, WebhookChanges,
};
use roster_domain::{OrganizationId, WebhookId};

use super::json::{self, delivery, webhook, with_secret, AfterId, CursorParams, WebhookList};
use super::webhook_id;
use crate::error::ApiError;
use crate::extract::{Call, IfMatch, JsonBody, Query};
use crate::refusals::Refusals;
use crate::reply::Reply;
use crate::state::AppState;

/// Create a webhook endpoint
///
/// Events recorded from now on that match `event_types` (and `organization_id`) are POSTed to
/// `url`, signed as Standard Webhooks says with the `secret` of this response, which is shown
/// only here. The URL must be `https` and reach a public address (checked now, after DNS, and
/// again at every connection) unless the server allows private targets.
#[utoipa::path(
    post,
    path = "/v1/webhooks",
    tag = "webhooks",
    request_body = json::CreateWebhook,
    responses(
        (status = 201, description = "Created; `secret` is shown this once", body = json::WebhookWithSecret, headers(("ETag" = String, description = "The endpoint's version"))),
    )
)]
pub async fn create_webhook(
    call: Call<CreateWebhook>,
    state: web::Data<AppState>,
    body: JsonBody<json::CreateWebhook>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let op = CreateWebhook {
        url: body.url,
        description: body.description,
        event_types: body.event_types.into_iter().map(|p| p.0).collect(),
        organization: body.organization_id.map(OrganizationId::from_uuid),
        enabled: body.enabled,
    };
    // Admins only: no one else makes Roster ask DNS about a name.
    call.admits(&op).await?;
    state.core.check_webhook_target(&op.url).await?;
    call.respond(op, |made| {
        Reply::json(StatusCode::CREATED, &with_secret(made))
            .header(header::ETAG, made.endpoint.etag())
            .header(
                header::LOCATION,
                format!("/v1/webhooks/{}", made.endpoint.id),
            )
    })
    .await
}

/// List webhook endpoints
#[utoipa::path(
    get,
    path = "/v1/webhooks",
    tag = "webhooks",
    params(CursorParams),
    responses((status = 200, description = "A page of endpoints", body = WebhookList))
)]
pub async fn list_webhooks(
    call: Call<ListWebhooks>,
    req: HttpRequest,
    query: Query<CursorParams>,
) -> Result<HttpResponse, ApiError> {
    let page = query.0.page::<AfterId>()?;
    let op = ListWebhooks {
        after: page.cursor().map(|c| WebhookId::from_uuid(c.after)),
        limit: page.size(),
        include_total: false,
    };
    let cursor = |row: &roster_core::webhooks::Webhook| AfterId {
        after: row.id.as_uuid(),
    };
    call.list(&req, page, op, cursor, |row| webhook(&row)).await
}

/// Get a webhook endpoint
#[utoipa::path(
    get,
    path = "/v1/webhooks/{id}",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 200, description = "The endpoint", body = json::Webhook, headers(("ETag" = String, description = "The endpoint's version"))))
)]
pub async fn get_webhook(
    call: Call<GetWebhook>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let found = call
        .execute(GetWebhook {
            id: webhook_id(&path)?,
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, found.etag()))
        .json(webhook(&found)))
}

/// Update a webhook endpoint
///
/// A JSON merge patch. `{"enabled": true}` starts a disabled endpoint again (also one disabled
/// for failing); `{"enabled": false}` stops it (`disabled_reason: manual`): deliveries due while
/// it is off fail with `endpoint_disabled` and can be retried.
#[utoipa::path(
    patch,
    path = "/v1/webhooks/{id}",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    request_body(content = json::UpdateWebhook, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "Updated", body = json::Webhook, headers(("ETag" = String, description = "The endpoint's new version"))))
)]
pub async fn update_webhook(
    call: Call<UpdateWebhook>,
    state: web::Data<AppState>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<json::UpdateWebhook>,
) -> Result<HttpResponse, ApiError> {
    let id = webhook_id(&path)?;
    let body = body.0;
    let op = UpdateWebhook {
        id,
        changes: WebhookChanges {
            url: body.url,
            description: body.description,
            event_types: body
                .event_types
                .map(|patterns| patterns.into_iter().map(|p| p.0).collect()),
            organization: body
                .organization_id
                .map(|id| id.map(OrganizationId::from_uuid)),
            enabled: body.enabled,
        },
        precondition: if_match.0,
    };
    if let Some(url) = &op.changes.url {
        call.admits(&op).await?;
        state.core.check_webhook_target(url).await?;
    }
    let updated = call.execute(op).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, updated.etag()))
        .json(webhook(&updated)))
}

/// Delete a webhook endpoint
///
/// Nothing more is sent to it; its deliveries and attempts go with it.
#[utoipa::path(
    delete,
    path = "/v1/webhooks/{id}",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 204, description = "Deleted"))
)]
pub async fn delete_webhook(
    call: Call<DeleteWebhook>,
    path: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    call.execute(DeleteWebhook {
        id: webhook_id(&path)?,
        precondition: if_match.0,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotate a webhook endpoint's secret
///
/// Answers the new `secret`, shown this once. For 24 hours the old secret signs beside it
/// (the `webhook-signature` header carries two `v1,` signatures), so receivers can switch over
/// without dropping a message.
#[utoipa::path(
    post,
    path = "/v1/webhooks/{id}/rotate-secret",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 200, description = "The new secret", body = json::WebhookWithSecret))
)]
pub async fn rotate_webhook_secret(
    call: Call<RotateWebhookSecret>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let op = RotateWebhookSecret {
        id: webhook_id(&path)?,
    };
    call.respond(op, |made| {
        Reply::json(StatusCode::OK, &with_secret(made)).header(header::ETAG, made.endpoint.etag())
    })
    .await
}

/// Send a test message
///
/// Queues a `webhook.test` message to this endpoint (enabled or not), delivered, signed and
/// retried like any other; answers its delivery, to follow under `…/deliveries`.
#[utoipa::path(
    post,
    path = "/v1/webhooks/{id}/test",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 202, description = "Queued", body = json::Delivery))
)]
pub async fn send_webhook_test(
    call: Call<SendTestMessage>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let op = SendTestMessage {
        id: webhook_id(&path)?,
    };
    call.respond(op, |queued| {
        Reply::json(StatusCode::ACCEPTED, &delivery(queued))
    })
    .await
}

impl Refusals for CreateWebhook {}
impl Refusals for ListWebhooks {}
impl Refusals for GetWebhook {}
impl Refusals for UpdateWebhook {}
impl Refusals for DeleteWebhook {}
impl Refusals for RotateWebhookSecret {}
impl Refusals for SendTestMessage {}
