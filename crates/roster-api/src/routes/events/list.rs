//! `GET /v1/organizations/{org}/events` and `GET /v1/events`: the audit log.

use crate::refusals::Refusals;
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::events::{EventCursor, ListEvents, ListOrganizationEvents, TypeFilter};
use roster_core::pagination::{decode_cursor, Page};
use roster_domain::OrganizationId;
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::{Event, EventList, EventQuery};
use crate::error::ApiError;
use crate::extract::{Call, Query};
use crate::routes::organizations::org_key;

/// The page an event query asks for (the audit log pages by cursor only).
fn page(query: &EventQuery) -> Result<(Page<EventCursor>, Option<TypeFilter>), ApiError> {
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::BadRequest(
            "limit must be between 1 and 1000".into(),
        ));
    }
    let after = query.after.as_deref().map(decode_cursor).transpose()?;
    let kind = query.kind.as_deref().map(TypeFilter::parse).transpose()?;
    let page = Page::Cursor {
        after,
        limit,
        include_total: false,
    };
    Ok((page, kind))
}

/// List an organization's audit log
///
/// Every change made in the organization, oldest first, numbered by `sequence` without gaps:
/// page with `after` to follow it without missing an event.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/events",
    tag = "events",
    params(("org" = String, Path, description = "Organization id or name"), EventQuery),
    responses((status = 200, description = "A page of events", body = EventList))
)]
pub async fn list_organization_events(
    call: Call<ListOrganizationEvents>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query<EventQuery>,
) -> Result<HttpResponse, ApiError> {
    let (page, kind) = page(&query.0)?;
    let op = ListOrganizationEvents {
        organization: org_key(&path)?,
        kind,
        after: page.cursor().map_or(0, |c| c.after),
        limit: page.size(),
    };
    // An organization's log continues after a sequence number, the whole log after a position.
    let cursor = |event: &Event| EventCursor {
        after: event.sequence,
    };
    call.list(&req, page, op, cursor, |event| event).await
}

/// Whose events to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AllEventsQuery {
    /// Only this organization's events (also after it was deleted).
    pub organization_id: Option<uuid::Uuid>,
}

/// List every event (platform admins)
///
/// The whole audit log, oldest first: organizations' events (deleted organizations' too) and
/// the platform's own (users, sessions).
#[utoipa::path(
    get,
    path = "/v1/events",
    tag = "events",
    params(AllEventsQuery, EventQuery),
    responses((status = 200, description = "A page of events", body = EventList))
)]
pub async fn list_events(
    call: Call<ListEvents>,
    req: HttpRequest,
    query: Query<EventQuery>,
    scope: Query<AllEventsQuery>,
) -> Result<HttpResponse, ApiError> {
    let (page, kind) = page(&query.0)?;
    let op = ListEvents {
        organization: scope.0.organization_id.map(OrganizationId::from_uuid),
        kind,
        after: page.cursor().map_or(0, |c| c.after),
        limit: page.size(),
    };
    // Listed events all have their position (the sequencer ran first).
    let cursor = |event: &Event| EventCursor {
        after: event.position.unwrap_or_default(),
    };
    call.list(&req, page, op, cursor, |event| event).await
}

impl Refusals for ListOrganizationEvents {}

impl Refusals for ListEvents {}
