//! `DELETE /v1/organizations/{org}/members/{user_id}`.

use crate::refusals::{conflict, forbidden, Refusals};
use actix_web::{web, HttpResponse};
use roster_core::members::RemoveMember;
use roster_core::{Conflict, Forbidden};

use crate::error::ApiError;
use crate::extract::{Call, IfMatch};
use crate::routes::organizations::org_key;
use crate::routes::users::user_id;

/// Remove a member, or leave
///
/// A member may always remove itself (leaving). Removing someone else needs `members:write`
/// and holding at least what they hold; only owners remove owners. The last active owner
/// cannot go (409), nor the owner of a personal organization.
#[utoipa::path(
    delete,
    path = "/v1/organizations/{org}/members/{user_id}",
    tag = "members",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("user_id" = Uuid, Path, description = "The member's user id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "The last owner, or the organization is closed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn remove_member(
    call: Call<RemoveMember>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let (org, user) = path.into_inner();
    let op = RemoveMember {
        organization: org_key(&org)?,
        user: user_id(&user).map_err(|_| ApiError::not_found("member"))?,
        precondition: if_match.0,
    };
    call.execute(op).await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for RemoveMember {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::OwnerOnly),
            conflict(Conflict::LastOwner),
            conflict(Conflict::PersonalOrganization),
            conflict(Conflict::Closed),
        ]
    }
}
