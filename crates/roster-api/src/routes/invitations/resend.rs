//! `POST /v1/organizations/{org}/invitations/{id}/resend`.

use crate::refusals::{conflict, Refusals};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use roster_core::invitations::ResendInvitation;
use roster_core::{Conflict, CoreError};
use roster_domain::InvitationId;

use super::json::{created, CreatedInvitation};
use crate::error::ApiError;
use crate::extract::Call;
use crate::reply::Reply;
use crate::routes::organizations::org_key;

/// Send an invitation again
///
/// Mails the pending invitation again with a new token: the link sent before stops working.
/// The new token is in the response too, as on creation. At most once a minute and five times
/// a day per invitation (429 with `Retry-After`). An accepted, revoked or declined invitation
/// is 409, an expired one 410.
#[utoipa::path(
    post,
    path = "/v1/organizations/{org}/invitations/{id}/resend",
    tag = "invitations",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("id" = uuid::Uuid, Path, description = "Invitation id"),
    ),
    responses(
        (status = 202, description = "Queued for sending", body = CreatedInvitation),
        (status = 409, description = "No longer pending", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 410, description = "Expired", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Sent moments ago; wait `Retry-After` seconds", body = crate::error::Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until it may be sent again"))),
    )
)]
pub async fn resend_invitation(
    call: Call<ResendInvitation>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    let op = ResendInvitation {
        organization: org_key(&org)?,
        id: InvitationId::parse(&id).ok_or_else(|| ApiError::not_found("invitation"))?,
    };
    call.respond(op, |sent| {
        Reply::json(StatusCode::ACCEPTED, &created(sent))
            .header(header::ETAG, sent.invitation.etag())
    })
    .await
}

impl Refusals for ResendInvitation {
    fn refusals() -> Vec<ApiError> {
        vec![
            conflict(Conflict::InvitationAccepted),
            conflict(Conflict::InvitationRevoked),
            conflict(Conflict::InvitationDeclined),
            CoreError::Gone("this invitation has expired".into()).into(),
            CoreError::TooManyAttempts {
                detail: "this invitation was sent moments ago; try again later".into(),
                retry_after: 60,
            }
            .into(),
        ]
    }
}
