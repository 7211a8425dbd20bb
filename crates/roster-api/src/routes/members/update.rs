//! `PATCH /v1/organizations/{org}/members/{user_id}`.

use crate::refusals::{conflict, forbidden, Refusals};
use actix_web::{http::header, web, HttpResponse};
use roster_core::members::UpdateMember;
use roster_core::{Conflict, Forbidden};

use super::json::{self, parse_expiry, parse_role};
use crate::error::ApiError;
use crate::extract::{Call, IfMatch, JsonBody};
use crate::routes::organizations::json::Membership;
use crate::routes::organizations::{org_key, view};
use crate::routes::users::user_id;

/// Change a member
///
/// Role, tags and expiry. Nobody changes a member who holds more than they do or grants more
/// than they hold; only owners make or unmake owners; the last active owner can be neither
/// demoted nor given an expiry (409). With `If-Match`, a change made since is 412.
#[utoipa::path(
    patch,
    path = "/v1/organizations/{org}/members/{user_id}",
    tag = "members",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("user_id" = Uuid, Path, description = "The member's user id"),
    ),
    request_body(content = json::UpdateMember, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Changed", body = Membership, headers(("ETag" = String, description = "The membership's new version"))),
        (status = 409, description = "The last owner, or the organization is closed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_member(
    call: Call<UpdateMember>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: JsonBody<json::UpdateMember>,
) -> Result<HttpResponse, ApiError> {
    let (org, user) = path.into_inner();
    let body = body.0;
    let op = UpdateMember {
        organization: org_key(&org)?,
        user: user_id(&user).map_err(|_| ApiError::not_found("member"))?,
        role: body
            .role
            .as_deref()
            .map(|r| parse_role(r, "role"))
            .transpose()?,
        permissions: body.permissions,
        expires_at: body.expires_at.map(parse_expiry).transpose()?,
        precondition: if_match.0,
    };
    let membership = call.execute(op).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, membership.etag()))
        .json(view::membership(membership)))
}

impl Refusals for UpdateMember {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::OwnerOnly),
            forbidden(Forbidden::BeyondOwn),
            forbidden(Forbidden::Policy(
                "you cannot lengthen your own membership; another member with members:write can",
            )),
            conflict(Conflict::LastOwner),
            conflict(Conflict::PersonalOrganization),
            conflict(Conflict::Closed),
        ]
    }
}
