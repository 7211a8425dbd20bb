//! `POST /v1/users/me/password`: change the caller's password and end their other sessions.

use crate::refusals::Refusals;
use actix_web::HttpResponse;
use roster_core::users::ChangePassword as ChangePasswordOp;
use roster_domain::Password;

use super::json::ChangePassword;
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};

/// Change your password
///
/// Every other session (refresh-token family) is revoked; the one this access token belongs to
/// stays signed in. Wrong current passwords count towards login throttling.
#[utoipa::path(
    post,
    path = "/v1/users/me/password",
    tag = "users",
    request_body = ChangePassword,
    responses(
        (status = 204, description = "Changed"),
        (status = 429, description = "Too many wrong current passwords; wait `Retry-After` seconds", body = crate::error::Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until a failure leaves the window"))),
    )
)]
pub async fn change_password(
    call: Call<ChangePasswordOp>,
    body: JsonBody<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    let op = ChangePasswordOp {
        current_password: request.current_password,
        new_password: Password::parse_field(request.new_password, "new_password")?,
    };
    call.perform(op).await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for ChangePasswordOp {
    fn refusals() -> Vec<ApiError> {
        vec![crate::refusals::too_many_attempts()]
    }
}
