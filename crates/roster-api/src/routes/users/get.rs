//! `GET /v1/users/{id}` (platform admin).

use actix_web::{get, web, HttpResponse};
use roster_store::{users, DbId};
use uuid::Uuid;

use super::json::User;
use super::profile::respond;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::state::AppState;

/// Parses a user id from the path; anything else cannot name a user, so it is 404.
pub fn parse_user_id(raw: &str) -> Result<DbId, ApiError> {
    Uuid::try_parse(raw)
        .map(DbId)
        .map_err(|_| ApiError::not_found("user"))
}

/// Get a user (platform admins)
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "The user id")),
    responses((status = 200, body = User, headers(("ETag" = String)))),
    security(("bearer" = []), ("oauth2" = []))
)]
#[get("/v1/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require_unscoped()?;
    caller.require_admin()?;
    let id = parse_user_id(&path)?;
    let user = state
        .run(move |db| db.read(|conn| users::find(conn, id).map_err(ApiError::from)))
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    Ok(respond(HttpResponse::Ok(), &user))
}
