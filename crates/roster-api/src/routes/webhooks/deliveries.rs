//! `GET /v1/webhooks/{id}/deliveries`, `GET …/deliveries/{delivery}/attempts` and
//! `POST …/deliveries/{delivery}/retry`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::webhooks::{DeliveryStatus, ListAttempts, ListDeliveries, RetryDelivery};
use roster_domain::DeliveryId;

use super::json::{
    attempt, delivery, AfterId, AfterNumber, AttemptList, CursorParams, DeliveryFilter,
    DeliveryList,
};
use super::{delivery_id, webhook_id};
use crate::error::ApiError;
use crate::extract::{Call, Query};
use crate::refusals::Refusals;
use crate::reply::Reply;

/// List an endpoint's deliveries
///
/// Newest first; filter by `status`.
#[utoipa::path(
    get,
    path = "/v1/webhooks/{id}/deliveries",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id"), DeliveryFilter, CursorParams),
    responses((status = 200, description = "A page of deliveries", body = DeliveryList))
)]
pub async fn list_webhook_deliveries(
    call: Call<ListDeliveries>,
    req: HttpRequest,
    path: web::Path<String>,
    filter: Query<DeliveryFilter>,
    query: Query<CursorParams>,
) -> Result<HttpResponse, ApiError> {
    let status = match filter.0.status.as_deref() {
        None => None,
        Some(raw) => Some(DeliveryStatus::parse(raw).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "status {raw:?} is none of pending, succeeded, failed"
            ))
        })?),
    };
    let page = query.0.page::<AfterId>()?;
    let op = ListDeliveries {
        endpoint: webhook_id(&path)?,
        status,
        after: page.cursor().map(|c| DeliveryId::from_uuid(c.after)),
        limit: page.size(),
    };
    let cursor = |row: &roster_core::webhooks::Delivery| AfterId {
        after: row.id.as_uuid(),
    };
    call.list(&req, page, op, cursor, |row| delivery(&row))
        .await
}

/// List a delivery's attempts
#[utoipa::path(
    get,
    path = "/v1/webhooks/{id}/deliveries/{delivery}/attempts",
    tag = "webhooks",
    params(
        ("id" = Uuid, Path, description = "The endpoint's id"),
        ("delivery" = Uuid, Path, description = "The delivery's id"),
        CursorParams,
    ),
    responses((status = 200, description = "A page of attempts", body = AttemptList))
)]
pub async fn list_delivery_attempts(
    call: Call<ListAttempts>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: Query<CursorParams>,
) -> Result<HttpResponse, ApiError> {
    let (endpoint, id) = path.into_inner();
    let page = query.0.page::<AfterNumber>()?;
    let op = ListAttempts {
        endpoint: webhook_id(&endpoint)?,
        delivery: delivery_id(&id)?,
        after: page.cursor().map_or(0, |c| c.after),
        limit: page.size(),
    };
    let cursor = |row: &roster_core::webhooks::Attempt| AfterNumber { after: row.number };
    call.list(&req, page, op, cursor, attempt).await
}

/// Retry a delivery now
///
/// Whatever its state: a failed delivery (or a succeeded one, to send it again) is due at once.
#[utoipa::path(
    post,
    path = "/v1/webhooks/{id}/deliveries/{delivery}/retry",
    tag = "webhooks",
    params(
        ("id" = Uuid, Path, description = "The endpoint's id"),
        ("delivery" = Uuid, Path, description = "The delivery's id"),
    ),
    responses((status = 202, description = "Due now", body = super::json::Delivery))
)]
pub async fn retry_webhook_delivery(
    call: Call<RetryDelivery>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (endpoint, id) = path.into_inner();
    let op = RetryDelivery {
        endpoint: webhook_id(&endpoint)?,
        delivery: delivery_id(&id)?,
    };
    call.respond(op, |due| Reply::json(StatusCode::ACCEPTED, &delivery(due)))
        .await
}

impl Refusals for ListDeliveries {}
impl Refusals for ListAttempts {}
impl Refusals for RetryDelivery {}
