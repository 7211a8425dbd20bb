//! `GET /v1/users/me/organizations`: the caller's memberships with their organizations.

use crate::refusals::Refusals;
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::users::{ListMyOrganizations, ListUserOrganizations, MembershipCursor};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::extract::{from_query_text, Call, Query};
use crate::pagination::PageParams;
use crate::routes::organizations::json::MyOrganizationList;
use crate::routes::organizations::view;
use crate::routes::users::user_id;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListMyOrganizationsQuery {
    /// Include closed organizations too.
    #[serde(default, deserialize_with = "from_query_text")]
    pub include_closed: Option<bool>,
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageParams,
}

/// List your memberships
///
/// Every organization the caller belongs to, with the caller's role and effective
/// permissions. A token scoped to one organization lists that one only.
#[utoipa::path(
    get,
    path = "/v1/users/me/organizations",
    tag = "users",
    params(ListMyOrganizationsQuery, PageParams),
    responses((status = 200, description = "A page of memberships", body = MyOrganizationList))
)]
pub async fn list_my_organizations(
    call: Call<ListMyOrganizations>,
    req: HttpRequest,
    query: Query<ListMyOrganizationsQuery>,
) -> Result<HttpResponse, ApiError> {
    let op = ListMyOrganizations {
        include_closed: query.0.include_closed == Some(true),
        page: query.0.page.parse()?,
    };
    call.list(&req, op.page.clone(), op, MembershipCursor::after, |mine| {
        view::my_organization(mine)
    })
    .await
}

/// List a user's memberships (platform admins)
///
/// Every organization the user belongs to, with the role and effective permissions there.
#[utoipa::path(
    get,
    path = "/v1/users/{id}/organizations",
    tag = "users",
    params(("id" = Uuid, Path, description = "The user id"), ListMyOrganizationsQuery, PageParams),
    responses((status = 200, description = "A page of memberships", body = MyOrganizationList))
)]
pub async fn list_user_organizations(
    call: Call<ListUserOrganizations>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query<ListMyOrganizationsQuery>,
) -> Result<HttpResponse, ApiError> {
    let op = ListUserOrganizations {
        user: user_id(&path)?,
        include_closed: query.0.include_closed == Some(true),
        page: query.0.page.parse()?,
    };
    call.list(&req, op.page.clone(), op, MembershipCursor::after, |mine| {
        view::my_organization(mine)
    })
    .await
}

impl Refusals for ListMyOrganizations {}

impl Refusals for ListUserOrganizations {}
