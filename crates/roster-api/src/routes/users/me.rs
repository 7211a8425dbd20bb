//! `GET|PATCH /v1/users/me`: the caller's own profile.

use actix_web::{get, patch, web, HttpResponse};
use roster_store::users::{self, UserChanges};

use super::json::{UpdateMe, User};
use super::profile::{apply, etag, parse_email, parse_name, respond};
use crate::error::ApiError;
use crate::extract::{Caller, IfMatch, JsonBody};
use crate::state::AppState;

/// Get your profile
#[utoipa::path(tag = "users", responses((status = 200, body = User, headers(("ETag" = String)))), security(("bearer" = []), ("oauth2" = [])))]
#[get("/v1/users/me")]
pub async fn get_me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let id = caller.db_id();
    let user = state
        .run(move |db| db.read(|conn| users::find(conn, id).map_err(ApiError::from)))
        .await?
        .ok_or_else(|| ApiError::unauthorized("this user no longer exists"))?;
    Ok(respond(HttpResponse::Ok(), &user))
}

/// Update your profile
///
/// A merge patch of your name or email.
#[utoipa::path(
    tag = "users",
    request_body(content(
        (UpdateMe = "application/merge-patch+json"),
        (UpdateMe = "application/json")
    )),
    responses(
        (status = 200, body = User),
        (status = 409, description = "The email is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []), ("oauth2" = []))
)]
#[patch("/v1/users/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    caller: Caller,
    if_match: IfMatch,
    body: JsonBody<UpdateMe>,
) -> Result<HttpResponse, ApiError> {
    caller.require_unscoped()?;
    let patch = body.0;
    let changes = UserChanges {
        name: patch.name.map(|n| parse_name(n.as_deref())).transpose()?,
        email: patch
            .email
            .map(|e| parse_email(&e).map(|e| e.into_string()))
            .transpose()?,
        ..UserChanges::default()
    };
    let id = caller.db_id();
    let user = state
        .run(move |db| {
            db.write(|conn| {
                let before = users::find(conn, id)?
                    .ok_or_else(|| ApiError::unauthorized("this user no longer exists"))?;
                if_match.check(&etag(&before))?;
                apply(conn, &before, changes.clone())
            })
        })
        .await?;
    Ok(respond(HttpResponse::Ok(), &user))
}
