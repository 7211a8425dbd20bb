//! `POST /v1/organizations`.

use crate::refusals::{forbidden, taken, Refusals};
use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use roster_core::organizations as ops;
use roster_core::Forbidden;
use roster_domain::Unique;

use super::json::{CreateOrganization, CreatedOrganization};
use super::view;
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};
use crate::reply::Reply;
use crate::routes::invitations::json as invitations;

/// Create an organization
///
/// The caller becomes its `owner`; `members` adds more people in the same transaction (all or
/// nothing): existing accounts by `user_id` join, and each `email` gets a pending invitation
/// (returned in `invitations`, tokens included). Who may create organizations is a server
/// setting (any user, or platform admins); `limits` are set by platform admins only.
#[utoipa::path(
    post,
    path = "/v1/organizations",
    tag = "organizations",
    request_body = CreateOrganization,
    responses(
        (status = 201, description = "Created", body = CreatedOrganization, headers(("ETag" = String, description = "The organization's version"), ("Location" = String, description = "Where it is"))),
        (status = 409, description = "The name or reference is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_organization(
    call: Call<ops::CreateOrganization>,
    body: JsonBody<CreateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let (profile, members) = body.0.into_parts()?;
    let op = ops::CreateOrganization { profile, members };
    call.respond(op, |created| {
        let org = &created.organization;
        let body = CreatedOrganization {
            organization: view::organization(org.clone()),
            invitations: created
                .invitations
                .iter()
                .map(invitations::created)
                .collect(),
        };
        Reply::json(StatusCode::CREATED, &body)
            .header(header::LOCATION, format!("/v1/organizations/{}", org.id))
            .header(header::ETAG, org.etag())
    })
    .await
}

impl Refusals for ops::CreateOrganization {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::Policy(
                "only platform admins may create organizations here",
            )),
            forbidden(Forbidden::Policy("limits are set by platform admins")),
            taken(Unique::OrganizationName),
            taken(Unique::OrganizationReference),
        ]
    }
}
