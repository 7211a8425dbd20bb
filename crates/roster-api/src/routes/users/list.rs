//! `GET /v1/users` (platform admins).

use crate::refusals::Refusals;
use actix_web::{HttpRequest, HttpResponse};
use roster_core::users::{ListUsers, UserCursor};
use roster_domain::UserState;
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::{User, UserList};
use crate::error::ApiError;
use crate::extract::{Call, Query};
use crate::pagination::PageParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    /// Prefix of the email address.
    pub q: Option<String>,
    /// `active` or `disabled`.
    #[param(pattern = "^(active|disabled)$")]
    pub state: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageParams,
}

/// List users (platform admins)
///
/// Every user, oldest first.
#[utoipa::path(
    get,
    path = "/v1/users",
    tag = "users",
    params(ListUsersQuery, PageParams),
    responses((status = 200, description = "A page of users", body = UserList))
)]
pub async fn list_users(
    call: Call<ListUsers>,
    req: HttpRequest,
    query: Query<ListUsersQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let state = query
        .state
        .as_deref()
        .map(|s| {
            UserState::parse(s)
                .ok_or_else(|| ApiError::BadRequest("state must be active or disabled".into()))
        })
        .transpose()?;
    let op = ListUsers {
        email_prefix: query.q,
        state,
        page: query.page.parse()?,
    };
    call.list(&req, op.page.clone(), op, UserCursor::after, |row| {
        User::from(&row)
    })
    .await
}

impl Refusals for ListUsers {}
