//! `GET /v1/organizations/{org}/members`.

use crate::refusals::Refusals;
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::members::{ListMembers, MemberCursor, MemberSort};
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::parse_role;
use crate::error::ApiError;
use crate::extract::{Call, Query};
use crate::pagination::PageParams;
use crate::routes::organizations::json::MembershipList;
use crate::routes::organizations::{org_key, view, Direction};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListMembersQuery {
    /// Only members with this role (`owner`, `admin`, `member`, `viewer` or a custom role key).
    #[param(pattern = "^[a-z0-9_-]{1,62}$")]
    pub role: Option<String>,
    /// `created_at` (default) or `email`.
    pub sort: Option<MemberSortKey>,
    /// `asc` (default) or `desc`.
    pub direction: Option<Direction>,
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageParams,
}

/// What the member list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberSortKey {
    CreatedAt,
    Email,
}

/// List members
///
/// The organization's current members (expired memberships are gone), by when they joined or
/// by email. Cursor pages cost the same at the end of a large organization as at its start.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/members",
    tag = "members",
    params(("org" = String, Path, description = "Organization id or name"), ListMembersQuery, PageParams),
    responses((status = 200, description = "A page of members", body = MembershipList))
)]
pub async fn list_members(
    call: Call<ListMembers>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query<ListMembersQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let sort = match query.sort.unwrap_or(MemberSortKey::CreatedAt) {
        MemberSortKey::CreatedAt => MemberSort::CreatedAt,
        MemberSortKey::Email => MemberSort::Email,
    };
    let descending = query.direction == Some(Direction::Desc);
    let role = query
        .role
        .as_deref()
        .map(|r| parse_role(r, "role"))
        .transpose()
        .map_err(|_| ApiError::BadRequest("role is not a role key".into()))?;
    let op = ListMembers {
        organization: org_key(&path)?,
        role,
        sort,
        descending,
        page: query.page.parse()?,
    };
    call.list(
        &req,
        op.page.clone(),
        op,
        |membership| MemberCursor::after(membership, sort, descending),
        view::membership,
    )
    .await
}

impl Refusals for ListMembers {}
