//! `PATCH /v1/users/{id}` (platform admin): rename, disable, make or unmake admins.

use actix_web::{patch, web, HttpResponse};
use roster_domain::FieldError;
use roster_store::users::{self, UserChanges};
use roster_store::{refresh_tokens, Ts};

use super::get::parse_user_id;
use super::json::{UpdateUser, User};
use super::profile::{apply, etag, parse_email, parse_name, respond};
use crate::error::ApiError;
use crate::extract::{Caller, IfMatch, JsonBody};
use crate::state::AppState;

/// Update a user (platform admins)
///
/// Disabling ends the user's sessions at once; the last active platform admin can be neither
/// disabled nor demoted (409).
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "The user id")),
    request_body(content(
        (UpdateUser = "application/merge-patch+json"),
        (UpdateUser = "application/json")
    )),
    responses(
        (status = 200, body = User),
        (status = 409, description = "Email taken, or the last active admin", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []), ("oauth2" = []))
)]
#[patch("/v1/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<UpdateUser>,
) -> Result<HttpResponse, ApiError> {
    caller.require_unscoped()?;
    caller.require_admin()?;
    let id = parse_user_id(&path)?;
    let patch = body.0;
    let state_value = match patch.state.as_deref() {
        None => None,
        Some(s @ (users::ACTIVE | users::DISABLED)) => Some(s.to_owned()),
        Some(_) => {
            return Err(ApiError::field(FieldError::new(
                "state",
                "invalid_value",
                "must be active or disabled",
            )));
        }
    };
    let changes = UserChanges {
        name: patch.name.map(|n| parse_name(n.as_deref())).transpose()?,
        email: patch
            .email
            .map(|e| parse_email(&e).map(|e| e.into_string()))
            .transpose()?,
        state: state_value,
        is_admin: patch.is_admin,
        ..UserChanges::default()
    };
    let user = state
        .run(move |db| {
            db.write(|conn| {
                let before = users::find(conn, id)?.ok_or_else(|| ApiError::not_found("user"))?;
                if_match.check(&etag(&before))?;
                let loses_admin = before.is_admin
                    && before.state == users::ACTIVE
                    && (changes.is_admin == Some(false)
                        || changes.state.as_deref() == Some(users::DISABLED));
                if loses_admin && users::count_active_admins(conn)? <= 1 {
                    return Err(ApiError::Conflict(
                        "this is the last active platform admin".into(),
                    ));
                }
                let disabling = changes.state.as_deref() == Some(users::DISABLED);
                let user = apply(conn, &before, changes.clone())?;
                if disabling {
                    refresh_tokens::revoke_user_sessions(conn, id, None, Ts::now())?;
                }
                Ok(user)
            })
        })
        .await?;
    Ok(respond(HttpResponse::Ok(), &user))
}
