//! `POST /v1/users/me/password`: change the caller's password and end their other sessions.

use actix_web::{post, web, HttpRequest, HttpResponse};
use roster_domain::{FieldError, Password};
use roster_store::users::{self, UserChanges};
use roster_store::{refresh_tokens, DbId, Ts};

use super::json::ChangePassword;
use super::profile::apply;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::login_throttle::Attempt;
use crate::state::AppState;

/// Change your password
///
/// Every other session (refresh-token family) is revoked; the one this access token belongs to
/// stays signed in.
#[utoipa::path(
    tag = "users",
    request_body = ChangePassword,
    responses(
        (status = 204, description = "Changed"),
        (status = 429, description = "Too many wrong current passwords; wait `Retry-After` seconds", body = crate::error::Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until a failure leaves the window"))),
    ),
    security(("bearer" = []), ("oauth2" = []))
)]
#[post("/v1/users/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: JsonBody<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    caller.require_unscoped()?;
    let request = body.0;
    let new_password = Password::parse_field(request.new_password, "new_password")?;
    let id = caller.db_id();
    let address = state.policies.trusted_proxies.client_address(&req);
    let throttle = state.policies.login_throttle;
    // Guessing the current password with a stolen access token is throttled like sign-in.
    let (before, attempt) = state
        .run(move |db| {
            db.read(|conn| {
                let user = users::find(conn, id)?
                    .ok_or_else(|| ApiError::unauthorized("this user no longer exists"))?;
                let attempt = Attempt::new(&user.email, address);
                throttle.check(conn, &attempt, Ts::now())?;
                Ok::<_, ApiError>((user, attempt))
            })
        })
        .await?;
    let stored = before.password_hash.clone();
    if !state
        .passwords
        .verify(request.current_password, stored)
        .await?
    {
        state
            .run(move |db| db.write(|conn| throttle.failed(conn, &attempt, Ts::now())))
            .await?;
        return Err(ApiError::field(FieldError::new(
            "current_password",
            "incorrect",
            "the current password is not correct",
        )));
    }
    let hash = state
        .passwords
        .hash(new_password.expose().to_owned())
        .await?;
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
