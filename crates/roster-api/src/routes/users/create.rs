//! `POST /v1/users`: open sign-up, or a platform admin creating a user.

use actix_web::{http::header, post, web, HttpResponse};
use roster_domain::{FieldError, Password};
use roster_store::users::{self, UserRow};
use roster_store::{DbId, StoreError, Ts};

use super::json::{CreateUser, User};
use super::profile::{email_taken, parse_email, parse_name, respond};
use crate::config::SignupPolicy;
use crate::error::ApiError;
use crate::extract::{JsonBody, OptionalCaller};
use crate::state::AppState;

/// Sign up, or create a user
///
/// Anyone may sign up while sign-up is open; platform admins may always create users (and
/// other platform admins).
#[utoipa::path(
    tag = "users",
    request_body = CreateUser,
    responses(
        (status = 201, body = User, headers(("Location" = String, description = "The new user"), ("ETag" = String))),
        (status = 409, description = "The email is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []), ("oauth2" = []))
)]
#[post("/v1/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: OptionalCaller,
    body: JsonBody<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    if let Some(caller) = &caller.0 {
        caller.require_unscoped()?;
    }
    let is_admin = caller.0.as_ref().is_some_and(|c| c.is_admin);
    if !is_admin && state.policies.signup == SignupPolicy::Closed {
        return Err(match caller.0 {
            None => ApiError::unauthorized("sign-up is closed: a platform admin creates accounts"),
            Some(_) => ApiError::Forbidden(
                "sign-up is closed: only platform admins create accounts".into(),
            ),
        });
    }
    let request = body.0;
    if request.is_admin && !is_admin {
        return Err(ApiError::Forbidden(
            "only platform admins can create platform admins".into(),
        ));
    }
    let mut errors = Vec::new();
    let email = parse_email(&request.email)
        .map_err(|_| {
            errors.push(FieldError::new(
                "email",
                "invalid_format",
                "must be an email address",
            ))
        })
        .ok();
    let name = parse_name(request.name.as_deref())
        .map_err(|e| collect(&mut errors, e))
        .ok()
        .flatten();
    let password = Password::parse(request.password)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(email), Some(password)) = (email, password) else {
        return Err(ApiError::validation(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let hash = state.passwords.hash(password.expose().to_owned()).await?;
    let now = Ts::now();
    let row = UserRow {
        id: DbId(uuid::Uuid::now_v7()),
        email: email.into_string(),
        name,
        password_hash: Some(hash),
        state: users::ACTIVE.to_owned(),
        is_admin: request.is_admin,
        created_at: now,
        updated_at: now,
    };
    let row = state
        .run(move |db| {
            db.write(|conn| {
                users::insert(conn, &row)
                    .map(|()| row.clone())
                    .map_err(|error| match error {
                        StoreError::UniqueViolation { .. } => email_taken(),
                        other => other.into(),
                    })
            })
        })
        .await?;
    let mut created = HttpResponse::Created();
    created.insert_header((header::LOCATION, format!("/v1/users/{}", row.id.0)));
    Ok(respond(created, &row))
}

fn collect(errors: &mut Vec<FieldError>, error: ApiError) {
    if let ApiError::Validation { errors: found, .. } = error {
        errors.extend(found);
    }
}
