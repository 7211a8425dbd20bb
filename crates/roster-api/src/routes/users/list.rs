//! `GET /v1/users` (platform admin).

use actix_web::{get, web, HttpRequest, HttpResponse};
use roster_store::users::{self, UserFilter, UserRow};
use roster_store::{DbId, Ts};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::json::User;
use crate::error::ApiError;
use crate::extract::{Caller, Query};
use crate::pagination::{envelope, window, ListEnvelope, PageParams, PageRequest};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    /// Prefix of the email address.
    pub q: Option<String>,
    /// `active` or `disabled`.
    pub state: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageParams,
}

#[derive(Serialize, Deserialize)]
struct UserCursor {
    created_at: chrono::DateTime<chrono::Utc>,
    id: uuid::Uuid,
}

/// List users (platform admins)
///
/// Every user, oldest first.
#[utoipa::path(
    tag = "users",
    params(ListUsersQuery, PageParams),
    responses((status = 200, body = ListEnvelope<User>)),
    security(("bearer" = []), ("oauth2" = []))
)]
#[get("/v1/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    query: Query<ListUsersQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require_unscoped()?;
    caller.require_admin()?;
    let query = query.0;
    if let Some(s) = query.state.as_deref() {
        if s != users::ACTIVE && s != users::DISABLED {
            return Err(ApiError::BadRequest(
                "state must be active or disabled".into(),
            ));
        }
    }
    let filter = UserFilter {
        email_prefix: query.q.map(|q| q.trim().to_lowercase()),
        state: query.state,
    };
    let request: PageRequest<UserCursor> = query.page.parse()?;
    let (offset, fetch) = window(&request);
    let after = match request.cursor() {
        Some(c) => Some((
            Ts::checked(c.created_at).ok_or_else(|| {
                ApiError::BadRequest("after is not a cursor this endpoint issued".into())
            })?,
            DbId(c.id),
        )),
        None => None,
    };
    let wants_total = request.wants_total();
    let (rows, total) = state
        .run(move |db| {
            db.read(|conn| {
                let rows = users::list(conn, &filter, after, offset, fetch)?;
                let total = if wants_total {
                    Some(users::count(conn, &filter)?)
                } else {
                    None
                };
                Ok::<_, ApiError>((rows, total))
            })
        })
        .await?;
    let body = envelope(
        &req,
        &request,
        rows,
        total,
        |row: &UserRow| UserCursor {
            created_at: row.created_at.0,
            id: row.id.0,
        },
        |row| User::from(&row),
    );
    Ok(HttpResponse::Ok().json(body))
}
