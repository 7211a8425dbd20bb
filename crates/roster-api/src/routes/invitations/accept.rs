//! `POST /v1/invitations/accept`.

use crate::refusals::{conflict, forbidden, not_found, Refusals};
use actix_web::{http::header, HttpResponse};
use roster_core::invitations::AcceptInvitation;
use roster_core::{Conflict, CoreError, Forbidden};

use super::json;
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};
use crate::routes::organizations::json::Membership;
use crate::routes::organizations::view;

/// Accept an invitation
///
/// The signed-in invitee joins with the invitation's role. It must have been sent to the
/// caller's email (403 `invitation-for-another-email` otherwise); an accepted or revoked one is
/// 409 (`invitation-accepted`, `invitation-revoked`), an expired one 410
/// (`invitation-expired`).
#[utoipa::path(
    post,
    path = "/v1/invitations/accept",
    tag = "invitations",
    request_body = json::AcceptInvitation,
    responses(
        (status = 201, description = "Joined", body = Membership, headers(("Location" = String, description = "Where the membership is"))),
        (status = 409, description = "Accepted or revoked already, or already a member", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 410, description = "Expired", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn accept_invitation(
    call: Call<AcceptInvitation>,
    body: JsonBody<json::AcceptInvitation>,
) -> Result<HttpResponse, ApiError> {
    let membership = call
        .execute(AcceptInvitation {
            token: body.0.token,
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!(
                "/v1/organizations/{}/members/{}",
                membership.organization_id, membership.user.id
            ),
        ))
        .json(view::membership(membership)))
}

impl Refusals for AcceptInvitation {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::InvitationForSomeoneElse),
            not_found("invitation"),
            conflict(Conflict::InvitationAccepted),
            conflict(Conflict::InvitationRevoked),
            conflict(Conflict::AlreadyMember),
            CoreError::Gone("this invitation has expired".into()).into(),
        ]
    }
}
