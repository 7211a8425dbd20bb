//! `POST /v1/auth/password-reset` and `POST /v1/auth/password-reset/confirm`.

use crate::refusals::Refusals;
use actix_web::HttpResponse;
use roster_core::accounts::{ConfirmPasswordReset, RequestPasswordReset};
use roster_core::CoreError;
use roster_domain::{Email, Password};

use super::verify_email::invalid_token;
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};
use crate::routes::users::json;

fn throttled() -> ApiError {
    CoreError::TooManyAttempts {
        detail: "too many password reset requests; try again later".into(),
        retry_after: 60,
    }
    .into()
}

/// Ask for a password reset
///
/// Always 202, whether or not the address has an account (and after the same work), so the
/// answer tells nobody who has one. An active account gets a message with a one-time link to
/// `{ROSTER_APP_URL}/reset-password?token=…`, valid for an hour; a newer request replaces it.
/// At most once a minute and five times an hour per address, and 30 times an hour per client
/// (429 with `Retry-After`). Anyone may call it, so there is no caller to keep an
/// `Idempotency-Key` for; repeating it is harmless (the newest link works).
#[utoipa::path(
    post,
    path = "/v1/auth/password-reset",
    tag = "auth",
    request_body = json::PasswordResetRequest,
    responses(
        (status = 202, description = "If the address has an account, a reset link is on its way"),
        (status = 429, description = "Too many requests; wait `Retry-After` seconds", body = crate::error::Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until a request is let through"))),
    )
)]
pub async fn request_password_reset(
    call: Call<RequestPasswordReset>,
    body: JsonBody<json::PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = Email::parse_field(&body.0.email, "email")?;
    call.execute(RequestPasswordReset {
        email: email.into_string(),
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Reset a password
///
/// The token from the reset link sets a new password; every session of the user ends (their
/// refresh tokens stop working) and they are told by mail. The token works once: a used,
/// expired or unknown one is 400 `invalid-token`.
#[utoipa::path(
    post,
    path = "/v1/auth/password-reset/confirm",
    tag = "auth",
    request_body = json::PasswordResetConfirm,
    responses(
        (status = 204, description = "The password is set; sign in with it"),
        (status = 400, description = "The token is unknown, used or expired", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn confirm_password_reset(
    call: Call<ConfirmPasswordReset>,
    body: JsonBody<json::PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let op = ConfirmPasswordReset {
        token: body.token,
        new_password: Password::parse_field(body.new_password, "new_password")?,
    };
    call.perform(op).await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for RequestPasswordReset {
    fn refusals() -> Vec<ApiError> {
        vec![throttled()]
    }
}

impl Refusals for ConfirmPasswordReset {
    fn refusals() -> Vec<ApiError> {
        vec![invalid_token()]
    }
}
