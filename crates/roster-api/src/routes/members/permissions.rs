//! `GET /v1/organizations/{org}/members/{user_id}/permissions`.

use crate::refusals::Refusals;
use actix_web::{web, HttpResponse};
use roster_core::members::MemberPermissions;

use super::json::{EffectivePermissions, SourcedPermission};
use crate::error::ApiError;
use crate::extract::Call;
use crate::routes::organizations::org_key;
use crate::routes::users::user_id;

/// A member's effective permissions
///
/// Each permission in force, with where it comes from: `role:<key>` or `tag:<tag>`. A member
/// may always read its own.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/members/{user_id}/permissions",
    tag = "members",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("user_id" = Uuid, Path, description = "The member's user id"),
    ),
    responses((status = 200, description = "The permissions in force", body = EffectivePermissions))
)]
pub async fn member_permissions(
    call: Call<MemberPermissions>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, user) = path.into_inner();
    let op = MemberPermissions {
        organization: org_key(&org)?,
        user: user_id(&user).map_err(|_| ApiError::not_found("member"))?,
    };
    let data = call.execute(op).await?;
    Ok(HttpResponse::Ok().json(EffectivePermissions {
        data: data.into_iter().map(SourcedPermission::from).collect(),
    }))
}

impl Refusals for MemberPermissions {}
