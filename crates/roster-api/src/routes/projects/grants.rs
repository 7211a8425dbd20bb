//! `GET …/projects/{project}/teams`, `PUT|DELETE …/projects/{project}/teams/{team}`,
//! `GET …/teams/{team}/projects` and `GET …/projects/{project}/access/{user_id}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::projects::{
    ExplainProjectAccess, Grant, GrantProject, ListProjectGrants, ListTeamGrants,
    RevokeProjectGrant,
};
use roster_core::Conflict;

use super::json::{
    ProjectAccess, ProjectGrant, ProjectGrantList, PutGrant, TeamGrant, TeamGrantList,
};
use crate::error::ApiError;
use crate::extract::{Call, JsonBody, Query};
use crate::pagination::PageParams;
use crate::refusals::{conflict, Refusals};
use crate::routes::named::named_key;
use crate::routes::organizations::org_key;

/// List a project's grants
///
/// The teams the project grants access to, by team name.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/projects/{project}/teams",
    tag = "projects",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("project" = String, Path, description = "Project id or name"),
        PageParams,
    ),
    responses((status = 200, description = "A page of grants", body = TeamGrantList))
)]
pub async fn list_project_grants(
    call: Call<ListProjectGrants>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (org, project) = path.into_inner();
    let op = ListProjectGrants {
        organization: org_key(&org)?,
        project: named_key(&project, "project")?,
        page: query.0.parse()?,
    };
    call.list(
        &req,
        op.page.clone(),
        op,
        Grant::cursor_in_project,
        TeamGrant::from,
    )
    .await
}

/// List a team's grants
///
/// The projects that grant the team access, by project name. Only the projects the caller
/// can see are listed (a private project stays unnamed to those it is not shared with, as it
/// is everywhere else), so two callers may see different lists of one team's grants.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/teams/{team}/projects",
    tag = "teams",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("team" = String, Path, description = "Team id or name"),
        PageParams,
    ),
    responses((status = 200, description = "A page of grants", body = ProjectGrantList))
)]
pub async fn list_team_grants(
    call: Call<ListTeamGrants>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (org, team) = path.into_inner();
    let op = ListTeamGrants {
        organization: org_key(&org)?,
        team: named_key(&team, "team")?,
        page: query.0.parse()?,
    };
    call.list(
        &req,
        op.page.clone(),
        op,
        Grant::cursor_in_team,
        ProjectGrant::from,
    )
    .await
}

/// Grant a team access to a project
///
/// Grants the team an access level, or changes the one it has: 201 when new, 200 otherwise.
/// By the project's owners or holders of `projects:write`. The team must be the project's
/// organization's (404 otherwise).
#[utoipa::path(
    put,
    path = "/v1/organizations/{org}/projects/{project}/teams/{team}",
    tag = "projects",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("project" = String, Path, description = "Project id or name"),
        ("team" = String, Path, description = "Team id or name"),
    ),
    request_body = PutGrant,
    responses(
        (status = 201, description = "Granted", body = TeamGrant),
        (status = 200, description = "Changed (or unchanged)", body = TeamGrant),
    )
)]
pub async fn put_grant(
    call: Call<GrantProject>,
    path: web::Path<(String, String, String)>,
    body: JsonBody<PutGrant>,
) -> Result<HttpResponse, ApiError> {
    let (org, project, team) = path.into_inner();
    let granted = call
        .execute(GrantProject {
            organization: org_key(&org)?,
            project: named_key(&project, "project")?,
            team: named_key(&team, "team")?,
            access: body.0.access,
        })
        .await?;
    let status = if granted.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status).json(TeamGrant::from(granted.grant)))
}

/// Revoke a team's access to a project
#[utoipa::path(
    delete,
    path = "/v1/organizations/{org}/projects/{project}/teams/{team}",
    tag = "projects",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("project" = String, Path, description = "Project id or name"),
        ("team" = String, Path, description = "Team id or name"),
    ),
    responses((status = 204, description = "Revoked"))
)]
pub async fn delete_grant(
    call: Call<RevokeProjectGrant>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, project, team) = path.into_inner();
    call.execute(RevokeProjectGrant {
        organization: org_key(&org)?,
        project: named_key(&project, "project")?,
        team: named_key(&team, "team")?,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A user's access to a project
///
/// Their access level and each source of it: `role:<role>` (a role holding `projects:write`
/// gives `owner`), `team:<team>:<level>` for each grant to a team they are in,
/// `visibility:organization` (`reader`). Someone who is not a current member has none
/// (`{"access": null, "sources": []}`). Asking about someone else needs `members:read`.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/projects/{project}/access/{user_id}",
    tag = "projects",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("project" = String, Path, description = "Project id or name"),
        ("user_id" = Uuid, Path, description = "The user asked about"),
    ),
    responses((status = 200, description = "Their access and its sources", body = ProjectAccess))
)]
pub async fn project_access(
    call: Call<ExplainProjectAccess>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, project, user) = path.into_inner();
    let explained = call
        .execute(ExplainProjectAccess {
            organization: org_key(&org)?,
            project: named_key(&project, "project")?,
            user: crate::routes::users::user_id(&user)?,
        })
        .await?;
    Ok(HttpResponse::Ok().json(ProjectAccess::from(explained)))
}

impl Refusals for ListProjectGrants {}

impl Refusals for ListTeamGrants {}

impl Refusals for GrantProject {
    fn refusals() -> Vec<ApiError> {
        vec![conflict(Conflict::Closed)]
    }
}

impl Refusals for RevokeProjectGrant {
    fn refusals() -> Vec<ApiError> {
        vec![
            crate::refusals::not_found("grant"),
            conflict(Conflict::Closed),
        ]
    }
}

impl Refusals for ExplainProjectAccess {
    fn refusals() -> Vec<ApiError> {
        vec![
            crate::refusals::forbidden(roster_core::Forbidden::Missing(
                roster_domain::Permission::MembersRead,
            )),
            // Only for a `user_id` that is not a user id at all: any user id is answered.
            crate::refusals::not_found("user"),
        ]
    }
}
