//! `POST /v1/users/me/password`: change the caller's password and end their other sessions.

use actix_web::{post, web, HttpResponse};
use roster_domain::{FieldError, Password};
use roster_store::users::{self, UserChanges};
use roster_store::{refresh_tokens, DbId, Ts};

use super::json::ChangePassword;
use super::profile::apply;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::passwords;
use crate::state::AppState;

/// Change your password
///
/// Every other session (refresh-token family) is revoked; the one this access token belongs to
/// stays signed in.
#[utoipa::path(
    tag = "users",
    request_body = ChangePassword,
    responses((status = 204, description = "Changed")),
    security(("bearer" = []), ("oauth2" = []))
)]
#[post("/v1/users/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    caller.require_unscoped()?;
    let request = body.0;
    let new_password = Password::parse_field(request.new_password, "new_password")?;
    let id = caller.db_id();
    let before = state
        .run(move |db| db.read(|conn| users::find(conn, id).map_err(ApiError::from)))
        .await?
        .ok_or_else(|| ApiError::unauthorized("this user no longer exists"))?;
    let stored = before.password_hash.clone();
    if !passwords::verify(&state, request.current_password, stored).await? {
        return Err(ApiError::field(FieldError::new(
            "current_password",
            "incorrect",
            "the current password is not correct",
        )));
    }
    let hash = passwords::hash(&state, new_password.expose().to_owned()).await?;
    let keep = caller.session_id.map(DbId);
    state
        .run(move |db| {
            db.write(|conn| {
                let changes = UserChanges {
                    password_hash: Some(Some(hash.clone())),
                    ..UserChanges::default()
                };
                // Only if nobody changed the user (or the password) since it was verified.
                apply(conn, &before, changes)?;
                refresh_tokens::revoke_user_sessions(conn, id, keep, Ts::now())?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
