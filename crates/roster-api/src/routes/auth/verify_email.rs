//! `POST /v1/auth/verify-email`: follow a verification link.

use crate::refusals::{taken, Refusals};
use actix_web::HttpResponse;
use roster_core::accounts::VerifyEmail;
use roster_core::CoreError;
use roster_domain::Unique;

use crate::error::ApiError;
use crate::extract::{Call, JsonBody};
use crate::routes::users::json::{self, respond, User};

/// Verify an email address
///
/// The token from the link Roster mailed (after sign-up, or to the new address of an email
/// change) proves the address: `email_verified` becomes true, or the pending address replaces
/// the old one (which is told). No sign-in is needed: the application's page at
/// `{ROSTER_APP_URL}/verify-email?token=…` passes the token on. A used, expired or unknown token
/// is 400 `invalid-token`; a pending address someone else has proven first meanwhile is 409.
#[utoipa::path(
    post,
    path = "/v1/auth/verify-email",
    tag = "auth",
    request_body = json::VerifyEmail,
    responses(
        (status = 200, description = "Verified: the account as it is now", body = User),
        (status = 400, description = "The token is unknown, used or expired", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The new address was taken meanwhile", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn verify_email(
    call: Call<VerifyEmail>,
    body: JsonBody<json::VerifyEmail>,
) -> Result<HttpResponse, ApiError> {
    let user = call
        .execute(VerifyEmail {
            token: body.0.token,
        })
        .await?;
    Ok(respond(HttpResponse::Ok(), &user))
}

/// A token that cannot be used, as every such refusal reads.
pub fn invalid_token() -> ApiError {
    CoreError::InvalidToken("this token is not valid: it is unknown, used or expired".into()).into()
}

impl Refusals for VerifyEmail {
    fn refusals() -> Vec<ApiError> {
        vec![invalid_token(), taken(Unique::UserEmail)]
    }
}
