//! `DELETE /v1/organizations/{org}/invitations/{id}`.

use crate::refusals::{conflict, forbidden, Refusals};
use actix_web::{web, HttpResponse};
use roster_core::invitations::RevokeInvitation;
use roster_core::{Conflict, Forbidden};
use roster_domain::InvitationId;

use crate::error::ApiError;
use crate::extract::{Call, IfMatch};
use crate::routes::organizations::org_key;

/// Revoke an invitation
///
/// Its token stops working. Revoking one that is revoked or expired already changes nothing;
/// an accepted one is 409. Revoking another member's invitation needs what its role grants (an
/// invitation to be an owner: an owner).
#[utoipa::path(
    delete,
    path = "/v1/organizations/{org}/invitations/{id}",
    tag = "invitations",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("id" = Uuid, Path, description = "The invitation's id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 409, description = "Accepted already", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn revoke_invitation(
    call: Call<RevokeInvitation>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    let op = RevokeInvitation {
        organization: org_key(&org)?,
        id: InvitationId::parse(&id).ok_or_else(|| ApiError::not_found("invitation"))?,
        precondition: if_match.0,
    };
    call.execute(op).await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for RevokeInvitation {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::BeyondOwn),
            conflict(Conflict::InvitationAccepted),
        ]
    }
}
