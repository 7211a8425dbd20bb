//! `POST /v1/invitations/decline`.

use crate::refusals::{conflict, not_found, Refusals};
use actix_web::HttpResponse;
use roster_core::invitations::DeclineInvitation;
use roster_core::{Conflict, CoreError};

use super::json;
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};

/// Decline an invitation
///
/// The invitee says no, with the token from the mailed link (no sign-in needed: the token is
/// the proof). The invitation becomes `declined` and can no longer be accepted; declining again
/// is no change. An accepted or revoked invitation is 409, an expired one 410.
#[utoipa::path(
    post,
    path = "/v1/invitations/decline",
    tag = "invitations",
    request_body = json::AcceptInvitation,
    responses(
        (status = 204, description = "Declined"),
        (status = 409, description = "Accepted or revoked already", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 410, description = "Expired", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn decline_invitation(
    call: Call<DeclineInvitation>,
    body: JsonBody<json::AcceptInvitation>,
) -> Result<HttpResponse, ApiError> {
    call.execute(DeclineInvitation {
        token: body.0.token,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for DeclineInvitation {
    fn refusals() -> Vec<ApiError> {
        vec![
            not_found("invitation"),
            conflict(Conflict::InvitationAccepted),
            conflict(Conflict::InvitationRevoked),
            CoreError::Gone("this invitation has expired".into()).into(),
        ]
    }
}
