//! `POST|GET /v1/users/me/api-keys` and `DELETE /v1/users/me/api-keys/{id}`.

use crate::refusals::Refusals;
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::api_keys::{CreatePersonalKey, KeyCursor, ListPersonalKeys, RevokePersonalKey};
use roster_domain::ApiKeyId;

use super::json::{self, api_key, created, ApiKeyList, CreatedApiKey};
use crate::error::ApiError;
use crate::extract::{Call, IfMatch, JsonBody, Query};
use crate::pagination::PageParams;
use crate::reply::Reply;
use crate::routes::members::json::parse_expiry;
use actix_web::http::{header, StatusCode};

/// Create a personal API key
///
/// A key that acts as you, in your organizations, for scripts and tools. The secret `key` is
/// in this response only. Made with a signed-in session (not with an API key).
#[utoipa::path(
    post,
    path = "/v1/users/me/api-keys",
    tag = "api-keys",
    request_body = json::CreatePersonalKey,
    responses((status = 201, description = "Created", body = CreatedApiKey))
)]
pub async fn create_personal_key(
    call: Call<CreatePersonalKey>,
    body: JsonBody<json::CreatePersonalKey>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let op = CreatePersonalKey {
        name: body.name,
        expires_at: parse_expiry(body.expires_at)?,
    };
    call.respond(op, |made| {
        Reply::json(StatusCode::CREATED, &created(made)).header(header::ETAG, made.api_key.etag())
    })
    .await
}

/// List your personal API keys
#[utoipa::path(
    get,
    path = "/v1/users/me/api-keys",
    tag = "api-keys",
    params(PageParams),
    responses((status = 200, description = "A page of API keys", body = ApiKeyList))
)]
pub async fn list_personal_keys(
    call: Call<ListPersonalKeys>,
    req: HttpRequest,
    query: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let op = ListPersonalKeys {
        page: query.0.parse()?,
    };
    call.list(&req, op.page.clone(), op, KeyCursor::after, |row| {
        api_key(&row)
    })
    .await
}

/// Revoke a personal API key
///
/// It stops working at once, on every instance.
#[utoipa::path(
    delete,
    path = "/v1/users/me/api-keys/{id}",
    tag = "api-keys",
    params(("id" = Uuid, Path, description = "The key's id")),
    responses((status = 204, description = "Revoked"))
)]
pub async fn revoke_personal_key(
    call: Call<RevokePersonalKey>,
    path: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    call.execute(RevokePersonalKey {
        id: ApiKeyId::parse(&path).ok_or_else(|| ApiError::not_found("API key"))?,
        precondition: if_match.0,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for CreatePersonalKey {}

impl Refusals for ListPersonalKeys {}

impl Refusals for RevokePersonalKey {}
