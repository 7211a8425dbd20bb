//! `POST /v1/users/me/verify-email`: mail the verification link again.

use crate::refusals::{conflict, Refusals};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use roster_core::accounts::ResendVerification;
use roster_core::{Conflict, CoreError};

use crate::error::ApiError;
use crate::extract::Call;
use crate::reply::Reply;

/// Send the verification link again
///
/// Mails a new link to the address that waits to be proven: the pending address of an email
/// change, else the account's unverified email (the link sent before stops working). 409 when
/// there is nothing to prove; at most once a minute and five times an hour (429 with
/// `Retry-After`).
#[utoipa::path(
    post,
    path = "/v1/users/me/verify-email",
    tag = "users",
    responses(
        (status = 202, description = "A new link is on its way"),
        (status = 409, description = "The address is verified already, and no change waits", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Sent moments ago; wait `Retry-After` seconds", body = crate::error::Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until it may be sent again"))),
    )
)]
pub async fn resend_verification(call: Call<ResendVerification>) -> Result<HttpResponse, ApiError> {
    call.respond(ResendVerification, |_| Reply::empty(StatusCode::ACCEPTED))
        .await
}

impl Refusals for ResendVerification {
    fn refusals() -> Vec<ApiError> {
        vec![
            conflict(Conflict::State(
                "this account's address is verified already, and no change of address waits".into(),
            )),
            CoreError::TooManyAttempts {
                detail: "a verification message was sent moments ago; try again later".into(),
                retry_after: 60,
            }
            .into(),
        ]
    }
}
