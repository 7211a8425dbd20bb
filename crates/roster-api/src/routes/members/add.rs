//! `POST /v1/organizations/{org}/members`.

use crate::refusals::{conflict, forbidden, limit_reached, Refusals};
use actix_web::{http::header, web, HttpResponse};
use roster_core::members::{AddMember, Added, Invitee};
use roster_core::{Conflict, Forbidden, LimitKind};

use super::json::{self, parse_expiry, parse_role, Whom};
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};
use crate::reply::Reply;
use crate::routes::invitations::json::{self as invitation_json, CreatedInvitation};
use crate::routes::organizations::json::Membership;
use crate::routes::organizations::{org_key, view};
use actix_web::http::StatusCode;

/// Add a member
///
/// By `user_id`, an existing account joins at once (201 with the membership). By `email`, a
/// pending invitation is made (202 with it, its one-time `token` included), whether or not the
/// email has an account, so the answer never tells; the person joins by accepting it. Nobody
/// grants a role or tags beyond their own, and only owners make owners.
#[utoipa::path(
    post,
    path = "/v1/organizations/{org}/members",
    tag = "members",
    params(("org" = String, Path, description = "Organization id or name")),
    request_body = json::AddMember,
    responses(
        (status = 201, description = "Added", body = Membership, headers(("Location" = String, description = "Where the membership is"))),
        (status = 202, description = "Invited: the person joins by accepting", body = CreatedInvitation),
        (status = 409, description = "Already a member, the organization is closed, or a limit is reached", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add_member(
    call: Call<AddMember>,
    path: web::Path<String>,
    body: JsonBody<json::AddMember>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let who = match body.whom()? {
        Whom::User(id) => Invitee::User(id),
        Whom::Email(email) => Invitee::Email(email),
    };
    let op = AddMember {
        organization: org_key(&path)?,
        who,
        role: parse_role(&body.role, "role")?,
        permissions: body.permissions,
        expires_at: parse_expiry(body.expires_at)?,
    };
    call.respond(op, |added| match added {
        Added::Member(membership) => Reply::json(
            StatusCode::CREATED,
            &view::membership((**membership).clone()),
        )
        .header(
            header::LOCATION,
            format!(
                "/v1/organizations/{}/members/{}",
                membership.organization_id, membership.user.id
            ),
        ),
        Added::Invited(invited) => {
            Reply::json(StatusCode::ACCEPTED, &invitation_json::created(invited))
        }
    })
    .await
}

impl Refusals for AddMember {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::OwnerOnly),
            forbidden(Forbidden::BeyondOwn),
            conflict(Conflict::AlreadyMember),
            limit_reached(LimitKind::Members),
            limit_reached(LimitKind::Invitations),
            conflict(Conflict::Closed),
        ]
    }
}
