//! `POST /v1/organizations/{org}/invitations`.

use crate::refusals::{conflict, forbidden, limit_reached, Refusals};
use actix_web::{web, HttpResponse};
use roster_core::invitations::{CreateInvitation, DEFAULT_HOURS};
use roster_core::{Conflict, Forbidden, LimitKind};
use roster_domain::{Email, Role};

use super::json::{self, created, CreatedInvitation};
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};
use crate::reply::Reply;
use crate::routes::organizations::org_key;
use actix_web::http::{header, StatusCode};

/// Invite someone
///
/// A one-time `token` for the person with this email to join with this role. Roster mails it
/// to the address (a link to `{ROSTER_APP_URL}/invitations/accept?token=…`) and shows it in
/// this response once (it keeps only its SHA-256). Only an account whose verified address is
/// this one can accept it. Inviting an email again replaces its pending invitation.
#[utoipa::path(
    post,
    path = "/v1/organizations/{org}/invitations",
    tag = "invitations",
    params(("org" = String, Path, description = "Organization id or name")),
    request_body = json::CreateInvitation,
    responses(
        (status = 201, description = "Invited", body = CreatedInvitation),
        (status = 409, description = "The invitation limit is reached, or the organization is closed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_invitation(
    call: Call<CreateInvitation>,
    path: web::Path<String>,
    body: JsonBody<json::CreateInvitation>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let op = CreateInvitation {
        organization: org_key(&path)?,
        email: Email::parse_field(&body.email, "email")?,
        role: Role::parse_field(&body.role, "role")?,
        expires_in_hours: body.expires_in_hours.unwrap_or(DEFAULT_HOURS),
    };
    call.respond(op, |invited| {
        Reply::json(StatusCode::CREATED, &created(invited))
            .header(header::ETAG, invited.invitation.etag())
    })
    .await
}

impl Refusals for CreateInvitation {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::OwnerOnly),
            forbidden(Forbidden::BeyondOwn),
            limit_reached(LimitKind::Invitations),
            conflict(Conflict::Closed),
        ]
    }
}
