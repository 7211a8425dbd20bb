//! `POST /v1/organizations`.

use actix_web::{http::header, HttpResponse};
use roster_core::organizations::{self as ops, etag};

use super::json::{CreateOrganization, Organization};
use super::view;
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};

/// Create an organization
///
/// The caller becomes its `owner`; `members` adds more people in the same transaction (all or
/// nothing). Who may create organizations is a server setting (any user, or platform admins).
#[utoipa::path(
    post,
    path = "/v1/organizations",
    tag = "organizations",
    request_body = CreateOrganization,
    responses(
        (status = 201, description = "Created", body = Organization, headers(("ETag" = String, description = "The organization's version"), ("Location" = String, description = "Where it is"))),
        (status = 409, description = "The name or reference is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_organization(
    call: Call<ops::CreateOrganization>,
    body: JsonBody<CreateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let (profile, members) = body.0.into_parts()?;
    let created = call
        .execute(ops::CreateOrganization { profile, members })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/v1/organizations/{}", created.id),
        ))
        .insert_header((header::ETAG, etag(&created)))
        .json(view::organization(&created)))
}
