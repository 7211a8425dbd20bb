//! `POST|GET /v1/organizations/{org}/api-keys` and `DELETE …/api-keys/{id}`.

use crate::refusals::{conflict, forbidden, limit_reached, Refusals};
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::api_keys::{
    CreateOrganizationKey, KeyCursor, ListOrganizationKeys, RevokeOrganizationKey,
};
use roster_core::{Conflict, Forbidden, LimitKind};
use roster_domain::{ApiKeyId, Role};

use super::json::{self, api_key, created, ApiKeyList, CreatedApiKey};
use crate::error::ApiError;
use crate::extract::{Call, IfMatch, JsonBody, Query};
use crate::pagination::PageParams;
use crate::reply::Reply;
use crate::routes::members::json::parse_expiry;
use crate::routes::organizations::org_key;
use actix_web::http::{header, StatusCode};

/// Create an organization API key
///
/// The key acts inside the organization with its role and tags, on behalf of the caller and
/// never above the caller's own permissions (even later: it is capped by what its maker holds
/// at each request, and is revoked, with the invitations made with it, when its maker leaves,
/// is removed, expires or is disabled). The secret `key` is in this response only, with an
/// `ETag` that a revocation may name in `If-Match`. An API key cannot make API keys.
#[utoipa::path(
    post,
    path = "/v1/organizations/{org}/api-keys",
    tag = "api-keys",
    params(("org" = String, Path, description = "Organization id or name")),
    request_body = json::CreateOrganizationKey,
    responses(
        (status = 201, description = "Created", body = CreatedApiKey),
        (status = 409, description = "The key limit is reached, or the organization is closed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_organization_key(
    call: Call<CreateOrganizationKey>,
    path: web::Path<String>,
    body: JsonBody<json::CreateOrganizationKey>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let op = CreateOrganizationKey {
        organization: org_key(&path)?,
        name: body.name,
        role: Role::parse_field(&body.role, "role")?,
        permissions: body.permissions,
        expires_at: parse_expiry(body.expires_at)?,
    };
    call.respond(op, |made| {
        Reply::json(StatusCode::CREATED, &created(made)).header(header::ETAG, made.api_key.etag())
    })
    .await
}

/// List organization API keys
///
/// The keys that are not revoked, oldest first; never their secrets.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/api-keys",
    tag = "api-keys",
    params(("org" = String, Path, description = "Organization id or name"), PageParams),
    responses((status = 200, description = "A page of API keys", body = ApiKeyList))
)]
pub async fn list_organization_keys(
    call: Call<ListOrganizationKeys>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let op = ListOrganizationKeys {
        organization: org_key(&path)?,
        page: query.0.parse()?,
    };
    call.list(&req, op.page.clone(), op, KeyCursor::after, |row| {
        api_key(&row)
    })
    .await
}

/// Revoke an organization API key
///
/// It stops working at once, on every instance. Revoking another member's key needs what the
/// key grants (an owner-role key: an owner).
#[utoipa::path(
    delete,
    path = "/v1/organizations/{org}/api-keys/{id}",
    tag = "api-keys",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("id" = Uuid, Path, description = "The key's id"),
    ),
    responses((status = 204, description = "Revoked"))
)]
pub async fn revoke_organization_key(
    call: Call<RevokeOrganizationKey>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    call.execute(RevokeOrganizationKey {
        organization: org_key(&org)?,
        id: ApiKeyId::parse(&id).ok_or_else(|| ApiError::not_found("API key"))?,
        precondition: if_match.0,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for CreateOrganizationKey {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::BeyondOwn),
            forbidden(Forbidden::Policy(
                "an API key cannot make API keys; sign in as a person to make one",
            )),
            limit_reached(LimitKind::ApiKeys),
            conflict(Conflict::Closed),
        ]
    }
}

impl Refusals for ListOrganizationKeys {}

impl Refusals for RevokeOrganizationKey {
    fn refusals() -> Vec<ApiError> {
        vec![forbidden(Forbidden::BeyondOwn)]
    }
}
