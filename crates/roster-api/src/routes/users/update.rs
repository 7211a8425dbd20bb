//! `PATCH /v1/users/{id}` (platform admins): rename, disable, make or unmake admins.

use crate::refusals::{conflict, taken, Refusals};
use actix_web::{http::header, web, HttpResponse};
use roster_core::users::{AdminChanges, UpdateUser as UpdateUserOp};
use roster_core::Conflict;
use roster_domain::Unique;
use roster_domain::{FieldError, UserState};

use super::get::user_id;
use super::json::{profile_changes, OrganizationRef, UpdateUser, UpdatedUser, User};
use crate::error::ApiError;
use crate::extract::{Call, IfMatch, JsonBody};

/// Update a user (platform admins)
///
/// Disabling ends the user's sessions at once and stops their API keys, and keeps their
/// memberships; it is always allowed but for the last active platform admin (409), and the
/// answer names the organizations it left without an active owner, so they can be repaired.
#[utoipa::path(
    patch,
    path = "/v1/users/{id}",
    tag = "users",
    params(("id" = Uuid, Path, description = "The user id")),
    request_body(content = UpdateUser, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = UpdatedUser, headers(("ETag" = String, description = "The user's new version"))),
        (status = 409, description = "Email taken, or the last active admin", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_user(
    call: Call<UpdateUserOp>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<UpdateUser>,
) -> Result<HttpResponse, ApiError> {
    let id = user_id(&path)?;
    let patch = body.0;
    let state = patch
        .state
        .map(|s| {
            UserState::parse(&s).ok_or_else(|| {
                ApiError::field(FieldError::new(
                    "state",
                    "invalid_value",
                    "must be active or disabled",
                ))
            })
        })
        .transpose()?;
    let op = UpdateUserOp {
        user: id,
        changes: AdminChanges {
            profile: profile_changes(patch.name, patch.email)?,
            state,
            is_admin: patch.is_admin,
        },
        precondition: if_match.0,
    };
    let updated = call.execute(op).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, updated.user.etag()))
        .json(UpdatedUser {
            user: User::from(&updated.user),
            organizations_without_owner: updated
                .organizations_without_owner
                .iter()
                .map(|org| OrganizationRef {
                    id: org.id.as_uuid(),
                    name: org.name.clone(),
                })
                .collect(),
        }))
}

impl Refusals for UpdateUserOp {
    fn refusals() -> Vec<ApiError> {
        vec![
            taken(Unique::UserEmail),
            conflict(Conflict::LastPlatformAdmin),
        ]
    }
}
