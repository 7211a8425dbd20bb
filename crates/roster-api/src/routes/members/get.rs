//! `GET /v1/organizations/{org}/members/{user_id}`.

use crate::refusals::Refusals;
use actix_web::{http::header, web, HttpResponse};
use roster_core::members::GetMember;

use crate::error::ApiError;
use crate::extract::Call;
use crate::routes::organizations::json::Membership;
use crate::routes::organizations::{org_key, view};
use crate::routes::users::user_id;

/// Get a member
///
/// One current membership. A member may always read its own.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/members/{user_id}",
    tag = "members",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("user_id" = Uuid, Path, description = "The member's user id"),
    ),
    responses((status = 200, description = "The membership", body = Membership, headers(("ETag" = String, description = "The membership's version, for If-Match"))))
)]
pub async fn get_member(
    call: Call<GetMember>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, user) = path.into_inner();
    let op = GetMember {
        organization: org_key(&org)?,
        user: user_id(&user).map_err(|_| ApiError::not_found("member"))?,
    };
    let membership = call.execute(op).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, membership.etag()))
        .json(view::membership(membership)))
}

impl Refusals for GetMember {}
