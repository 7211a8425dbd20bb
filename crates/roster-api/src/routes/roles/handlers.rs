//! `GET|POST /v1/organizations/{org}/roles` and `GET|PATCH|DELETE …/roles/{key}`.

use crate::refusals::{conflict, forbidden, taken, Refusals};
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use roster_core::roles::{
    CreateRole, DeleteRole, GetRole, ListRoles, RoleCursor, RoleView, UpdateRole,
};
use roster_core::{Conflict, Forbidden};
use roster_domain::Unique;

use super::json::{self, Role, RoleList};
use crate::error::ApiError;
use crate::extract::{Call, IfMatch, JsonBody, Query};
use crate::pagination::PageParams;
use crate::reply::Reply;
use crate::routes::organizations::org_key;
use actix_web::http::StatusCode;

fn respond(status: actix_web::http::StatusCode, view: RoleView) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, view.etag()))
        .json(Role::from(view))
}

/// List roles
///
/// The built-in roles (`builtin: true`), then the organization's custom roles by key.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/roles",
    tag = "roles",
    params(("org" = String, Path, description = "Organization id or name"), PageParams),
    responses((status = 200, description = "A page of roles", body = RoleList))
)]
pub async fn list_roles(
    call: Call<ListRoles>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let op = ListRoles {
        organization: org_key(&path)?,
        page: query.0.parse()?,
    };
    call.list(&req, op.page.clone(), op, RoleCursor::after, Role::from)
        .await
}

/// Create a custom role
///
/// Any subset of the permission catalogue but `organization:delete`, plus application tags;
/// never more than the caller holds. A built-in role's key is 409.
#[utoipa::path(
    post,
    path = "/v1/organizations/{org}/roles",
    tag = "roles",
    params(("org" = String, Path, description = "Organization id or name")),
    request_body = json::CreateRole,
    responses(
        (status = 201, description = "Created", body = Role, headers(("ETag" = String, description = "The role's version"))),
        (status = 409, description = "The key is taken or a built-in role's", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_role(
    call: Call<CreateRole>,
    path: web::Path<String>,
    body: JsonBody<json::CreateRole>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let op = CreateRole {
        organization: org_key(&path)?,
        key: body.key,
        name: body.name,
        description: body.description,
        permissions: body.permissions,
    };
    call.respond(op, |view| {
        Reply::json(StatusCode::CREATED, &Role::from(view.clone()))
            .header(header::ETAG, view.etag())
    })
    .await
}

/// Get a role
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/roles/{key}",
    tag = "roles",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("key" = String, Path, description = "The role's key"),
    ),
    responses((status = 200, description = "The role", body = Role, headers(("ETag" = String, description = "The role's version, for If-Match"))))
)]
pub async fn get_role(
    call: Call<GetRole>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, key) = path.into_inner();
    let view = call
        .execute(GetRole {
            organization: org_key(&org)?,
            key,
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::OK, view))
}

/// Change a custom role
///
/// Built-in roles are read-only (409). Nobody edits a role that grants more than they hold, or
/// makes it grant more; the change reaches every member holding the role at once.
#[utoipa::path(
    patch,
    path = "/v1/organizations/{org}/roles/{key}",
    tag = "roles",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("key" = String, Path, description = "The role's key"),
    ),
    request_body(content = json::UpdateRole, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Changed", body = Role, headers(("ETag" = String, description = "The role's new version"))),
        (status = 409, description = "A built-in role", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_role(
    call: Call<UpdateRole>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: JsonBody<json::UpdateRole>,
) -> Result<HttpResponse, ApiError> {
    let (org, key) = path.into_inner();
    let body = body.0;
    let op = UpdateRole {
        organization: org_key(&org)?,
        key,
        name: body.name,
        description: body.description,
        permissions: body.permissions,
        precondition: if_match.0,
    };
    let view = call.execute(op).await?;
    Ok(respond(actix_web::http::StatusCode::OK, view))
}

/// Delete a custom role
///
/// Only a role nobody holds: a member, a live API key or an open invitation holding it is 409
/// (`role-in-use`); a built-in role is 409 (`builtin-role`).
#[utoipa::path(
    delete,
    path = "/v1/organizations/{org}/roles/{key}",
    tag = "roles",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("key" = String, Path, description = "The role's key"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "In use, or a built-in role", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_role(
    call: Call<DeleteRole>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let (org, key) = path.into_inner();
    call.execute(DeleteRole {
        organization: org_key(&org)?,
        key,
        precondition: if_match.0,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for ListRoles {}

impl Refusals for CreateRole {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::BeyondOwn),
            taken(Unique::RoleKey),
            conflict(Conflict::BuiltinRole),
            conflict(Conflict::Closed),
        ]
    }
}

impl Refusals for GetRole {}

impl Refusals for UpdateRole {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::BeyondOwn),
            conflict(Conflict::BuiltinRole),
            conflict(Conflict::Closed),
        ]
    }
}

impl Refusals for DeleteRole {
    fn refusals() -> Vec<ApiError> {
        vec![
            conflict(Conflict::RoleInUse),
            conflict(Conflict::BuiltinRole),
            conflict(Conflict::Closed),
        ]
    }
}
