//! `POST /v1/users`: sign up, or a platform admin creating a user.

use crate::refusals::{forbidden, taken, Refusals};
use actix_web::{http::header, HttpResponse};
use roster_core::users::ProfileChanges;
use roster_core::users::SignUp;
use roster_core::{CoreError, Forbidden};
use roster_domain::Unique;
use roster_domain::{Email, FieldError, Password};

use super::json::{respond, CreateUser, User};
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};

/// Sign up, or create a user
///
/// Anyone may sign up while sign-up is open; platform admins may always create users (and
/// other platform admins): send your bearer token as you would elsewhere.
#[utoipa::path(
    post,
    path = "/v1/users",
    tag = "users",
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = User, headers(("Location" = String, description = "The new user"), ("ETag" = String, description = "The user's version"))),
        (status = 409, description = "The email is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_user(
    call: Call<SignUp>,
    body: JsonBody<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    let mut errors = Vec::new();
    let email = Email::parse(&request.email)
        .map_err(|_| {
            errors.push(FieldError::new(
                "email",
                "invalid_format",
                "must be an email address",
            ))
        })
        .ok();
    let name = ProfileChanges::parse_name(request.name.as_deref())
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let password = Password::parse(request.password)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(email), Some(password), true) = (email, password, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    let sign_up = SignUp {
        email,
        password,
        name,
        is_admin: request.is_admin,
    };
    let user = call.perform(sign_up).await?;
    let mut created = HttpResponse::Created();
    created.insert_header((header::LOCATION, format!("/v1/users/{}", user.id)));
    Ok(respond(created, &user))
}

impl Refusals for SignUp {
    fn refusals() -> Vec<ApiError> {
        vec![
            CoreError::Unauthenticated(
                "sign-up is closed: a platform admin creates accounts".into(),
            )
            .into(),
            forbidden(Forbidden::Policy(
                "only platform admins can create platform admins",
            )),
            forbidden(Forbidden::Policy(
                "sign-up is closed: only platform admins create accounts",
            )),
            forbidden(Forbidden::ScopedCredential),
            taken(Unique::UserEmail),
        ]
    }
}
