//! `GET|POST /v1/organizations/{org}/projects` and `GET|PATCH|DELETE …/projects/{project}`.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::projects::{
    CreateProject, DeleteProject, GetProject, ListProjects, Project as CoreProject, UpdateProject,
};
use roster_core::{Conflict, LimitKind};
use roster_domain::Unique;
use roster_domain::UserId;

use super::json::{self, Project, ProjectList};
use crate::error::ApiError;
use crate::extract::{Call, IfMatch, JsonBody, Query};
use crate::pagination::PageParams;
use crate::refusals::{conflict, limit_reached, taken, Refusals};
use crate::reply::Reply;
use crate::routes::named::{named_key, NamedListQuery};
use crate::routes::organizations::org_key;

fn respond(status: StatusCode, view: CoreProject) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, view.etag()))
        .json(Project::from(view))
}

/// List projects
///
/// The projects the caller can access (or, with `user_id`, that member can), each with its
/// `access` level: all of them with `projects:write`, else those granted to one of their
/// teams and those whose visibility is `organization`. One query per page, however many teams
/// and grants there are.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/projects",
    tag = "projects",
    params(("org" = String, Path, description = "Organization id or name"), NamedListQuery, PageParams),
    responses((status = 200, description = "A page of projects", body = ProjectList))
)]
pub async fn list_projects(
    call: Call<ListProjects>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query<NamedListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let (sort, descending) = query.order();
    let op = ListProjects {
        organization: org_key(&path)?,
        user: query.user_id.map(UserId::from_uuid),
        sort,
        descending,
        page: query.page.parse()?,
    };
    call.list(
        &req,
        op.page.clone(),
        op,
        |project| project.cursor(sort, descending),
        Project::from,
    )
    .await
}

/// Create a project
///
/// Within `limits.max_projects` (409 `max-projects-reached`); a name the organization has
/// already is 409. Its maker holds `projects:write`, so its `access` is `owner`.
#[utoipa::path(
    post,
    path = "/v1/organizations/{org}/projects",
    tag = "projects",
    params(("org" = String, Path, description = "Organization id or name")),
    request_body = json::CreateProject,
    responses(
        (status = 201, description = "Created", body = Project, headers(("ETag" = String, description = "The project's version"))),
        (status = 409, description = "The name is taken, the limit reached, or the organization closed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_project(
    call: Call<CreateProject>,
    path: web::Path<String>,
    body: JsonBody<json::CreateProject>,
) -> Result<HttpResponse, ApiError> {
    let (profile, visibility) = body.0.into_parts();
    let op = CreateProject {
        organization: org_key(&path)?,
        profile,
        visibility,
    };
    call.respond(op, |view| {
        Reply::json(StatusCode::CREATED, &Project::from(view.clone()))
            .header(header::ETAG, view.etag())
    })
    .await
}

/// Get a project
///
/// With the caller's `access` level; a project the caller has no access to is 404.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/projects/{project}",
    tag = "projects",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("project" = String, Path, description = "Project id or name"),
    ),
    responses((status = 200, description = "The project", body = Project, headers(("ETag" = String, description = "The project's version, for If-Match"))))
)]
pub async fn get_project(
    call: Call<GetProject>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, project) = path.into_inner();
    let view = call
        .execute(GetProject {
            organization: org_key(&org)?,
            project: named_key(&project, "project")?,
        })
        .await?;
    Ok(respond(StatusCode::OK, view))
}

/// Change a project
///
/// By its owners (through a team) or holders of `projects:write`. Merge semantics: an absent
/// field is unchanged, `null` clears it.
#[utoipa::path(
    patch,
    path = "/v1/organizations/{org}/projects/{project}",
    tag = "projects",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("project" = String, Path, description = "Project id or name"),
    ),
    request_body(content = json::UpdateProject, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Changed", body = Project, headers(("ETag" = String, description = "The project's new version"))),
        (status = 409, description = "The name is taken, or the organization closed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_project(
    call: Call<UpdateProject>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: JsonBody<json::UpdateProject>,
) -> Result<HttpResponse, ApiError> {
    let (org, project) = path.into_inner();
    let (patch, visibility) = body.0.into_parts();
    let view = call
        .execute(UpdateProject {
            organization: org_key(&org)?,
            project: named_key(&project, "project")?,
            patch,
            visibility,
            precondition: if_match.0,
        })
        .await?;
    Ok(respond(StatusCode::OK, view))
}

/// Delete a project
///
/// By its owners or holders of `projects:write`; its grants end in the same transaction (a
/// `project_access.revoked` event each).
#[utoipa::path(
    delete,
    path = "/v1/organizations/{org}/projects/{project}",
    tag = "projects",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("project" = String, Path, description = "Project id or name"),
    ),
    responses((status = 204, description = "Deleted"))
)]
pub async fn delete_project(
    call: Call<DeleteProject>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let (org, project) = path.into_inner();
    call.execute(DeleteProject {
        organization: org_key(&org)?,
        project: named_key(&project, "project")?,
        precondition: if_match.0,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for ListProjects {}

impl Refusals for CreateProject {
    fn refusals() -> Vec<ApiError> {
        vec![
            taken(Unique::ProjectName),
            limit_reached(LimitKind::Projects),
            conflict(Conflict::Closed),
        ]
    }
}

impl Refusals for GetProject {}

impl Refusals for UpdateProject {
    fn refusals() -> Vec<ApiError> {
        vec![taken(Unique::ProjectName), conflict(Conflict::Closed)]
    }
}

impl Refusals for DeleteProject {
    fn refusals() -> Vec<ApiError> {
        vec![conflict(Conflict::Closed)]
    }
}
