//! `GET /v1/organizations/{org}/invitations` and `GET /v1/users/me/invitations`.

use crate::refusals::Refusals;
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::invitations::{InvitationCursor, ListInvitations, ListMyInvitations, StateFilter};
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::{invitation, InvitationList};
use crate::error::ApiError;
use crate::extract::{Call, Query};
use crate::pagination::PageParams;
use crate::routes::organizations::org_key;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListInvitationsQuery {
    /// Only invitations in this state.
    pub state: Option<InvitationStateValue>,
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageParams,
}

/// An invitation's state as read now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStateValue {
    Pending,
    Accepted,
    Revoked,
    Expired,
    Declined,
}

/// List invitations
///
/// The organization's invitations, oldest first, in every state unless `state` says which.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/invitations",
    tag = "invitations",
    params(("org" = String, Path, description = "Organization id or name"), ListInvitationsQuery, PageParams),
    responses((status = 200, description = "A page of invitations", body = InvitationList))
)]
pub async fn list_invitations(
    call: Call<ListInvitations>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query<ListInvitationsQuery>,
) -> Result<HttpResponse, ApiError> {
    let state = match query.0.state {
        None => StateFilter::Any,
        Some(InvitationStateValue::Pending) => StateFilter::Pending,
        Some(InvitationStateValue::Accepted) => StateFilter::Accepted,
        Some(InvitationStateValue::Revoked) => StateFilter::Revoked,
        Some(InvitationStateValue::Expired) => StateFilter::Expired,
        Some(InvitationStateValue::Declined) => StateFilter::Declined,
    };
    let op = ListInvitations {
        organization: org_key(&path)?,
        state,
        page: query.0.page.parse()?,
    };
    call.list(&req, op.page.clone(), op, InvitationCursor::after, |row| {
        invitation(&row)
    })
    .await
}

/// List your invitations
///
/// Pending invitations sent to the caller's email address, in every organization (expired
/// ones are not pending).
#[utoipa::path(
    get,
    path = "/v1/users/me/invitations",
    tag = "invitations",
    params(PageParams),
    responses((status = 200, description = "A page of invitations", body = InvitationList))
)]
pub async fn list_my_invitations(
    call: Call<ListMyInvitations>,
    req: HttpRequest,
    query: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let op = ListMyInvitations {
        page: query.0.parse()?,
    };
    call.list(&req, op.page.clone(), op, InvitationCursor::after, |row| {
        invitation(&row)
    })
    .await
}

impl Refusals for ListInvitations {}

impl Refusals for ListMyInvitations {}
