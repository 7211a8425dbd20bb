//! `GET|POST /v1/organizations/{org}/teams` and `GET|PATCH|DELETE …/teams/{team}`.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::teams::{self as core, CreateTeam, DeleteTeam, GetTeam, ListTeams, UpdateTeam};
use roster_core::{Conflict, LimitKind};
use roster_domain::Unique;
use roster_domain::UserId;

use super::json::{self, Team, TeamList};
use crate::error::ApiError;
use crate::extract::{Call, IfMatch, JsonBody, Query};
use crate::pagination::PageParams;
use crate::refusals::{conflict, limit_reached, taken, Refusals};
use crate::reply::Reply;
use crate::routes::named::{named_key, NamedListQuery};
use crate::routes::organizations::org_key;

fn respond(status: StatusCode, view: core::Team) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, view.etag()))
        .json(Team::from(view))
}

/// List teams
///
/// The organization's teams by name or age; `user_id` lists the teams one member is in.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/teams",
    tag = "teams",
    params(("org" = String, Path, description = "Organization id or name"), NamedListQuery, PageParams),
    responses((status = 200, description = "A page of teams", body = TeamList))
)]
pub async fn list_teams(
    call: Call<ListTeams>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query<NamedListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let (sort, descending) = query.order();
    let op = ListTeams {
        organization: org_key(&path)?,
        member: query.user_id.map(UserId::from_uuid),
        sort,
        descending,
        page: query.page.parse()?,
    };
    call.list(
        &req,
        op.page.clone(),
        op,
        |team| team.cursor(sort, descending),
        Team::from,
    )
    .await
}

/// Create a team
///
/// Within `limits.max_teams` (409 `max-teams-reached`); a name the organization has already
/// is 409.
#[utoipa::path(
    post,
    path = "/v1/organizations/{org}/teams",
    tag = "teams",
    params(("org" = String, Path, description = "Organization id or name")),
    request_body = json::CreateTeam,
    responses(
        (status = 201, description = "Created", body = Team, headers(("ETag" = String, description = "The team's version"))),
        (status = 409, description = "The name is taken, the limit reached, or the organization closed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_team(
    call: Call<CreateTeam>,
    path: web::Path<String>,
    body: JsonBody<json::CreateTeam>,
) -> Result<HttpResponse, ApiError> {
    let op = CreateTeam {
        organization: org_key(&path)?,
        profile: body.0.into(),
    };
    call.respond(op, |view| {
        Reply::json(StatusCode::CREATED, &Team::from(view.clone()))
            .header(header::ETAG, view.etag())
    })
    .await
}

/// Get a team
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/teams/{team}",
    tag = "teams",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("team" = String, Path, description = "Team id or name"),
    ),
    responses((status = 200, description = "The team", body = Team, headers(("ETag" = String, description = "The team's version, for If-Match"))))
)]
pub async fn get_team(
    call: Call<GetTeam>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, team) = path.into_inner();
    let view = call
        .execute(GetTeam {
            organization: org_key(&org)?,
            team: named_key(&team, "team")?,
        })
        .await?;
    Ok(respond(StatusCode::OK, view))
}

/// Change a team
///
/// Merge semantics: an absent field is unchanged, `null` clears it.
#[utoipa::path(
    patch,
    path = "/v1/organizations/{org}/teams/{team}",
    tag = "teams",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("team" = String, Path, description = "Team id or name"),
    ),
    request_body(content = json::UpdateTeam, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Changed", body = Team, headers(("ETag" = String, description = "The team's new version"))),
        (status = 409, description = "The name is taken, or the organization closed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_team(
    call: Call<UpdateTeam>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: JsonBody<json::UpdateTeam>,
) -> Result<HttpResponse, ApiError> {
    let (org, team) = path.into_inner();
    let view = call
        .execute(UpdateTeam {
            organization: org_key(&org)?,
            team: named_key(&team, "team")?,
            patch: body.0.into(),
            precondition: if_match.0,
        })
        .await?;
    Ok(respond(StatusCode::OK, view))
}

/// Delete a team
///
/// Its members leave it and what projects granted it ends, in the same transaction (a
/// `team_member.removed` and a `project_access.revoked` event each).
#[utoipa::path(
    delete,
    path = "/v1/organizations/{org}/teams/{team}",
    tag = "teams",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("team" = String, Path, description = "Team id or name"),
    ),
    responses((status = 204, description = "Deleted"))
)]
pub async fn delete_team(
    call: Call<DeleteTeam>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let (org, team) = path.into_inner();
    call.execute(DeleteTeam {
        organization: org_key(&org)?,
        team: named_key(&team, "team")?,
        precondition: if_match.0,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for ListTeams {}

impl Refusals for CreateTeam {
    fn refusals() -> Vec<ApiError> {
        vec![
            taken(Unique::TeamName),
            limit_reached(LimitKind::Teams),
            conflict(Conflict::Closed),
        ]
    }
}

impl Refusals for GetTeam {}

impl Refusals for UpdateTeam {
    fn refusals() -> Vec<ApiError> {
        vec![taken(Unique::TeamName), conflict(Conflict::Closed)]
    }
}

impl Refusals for DeleteTeam {
    fn refusals() -> Vec<ApiError> {
        vec![conflict(Conflict::Closed)]
    }
}
