//! `GET|POST …/teams/{team}/members`, `PATCH|DELETE …/teams/{team}/members/{user_id}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use roster_core::teams::{
    AddTeamMember, ListTeamMembers, RemoveTeamMember, TeamMember as CoreTeamMember,
    UpdateTeamMember,
};
use roster_core::{Conflict, CoreError};
use roster_domain::Unique;
use roster_domain::UserId;

use super::json::{self, TeamMember, TeamMemberList};
use crate::error::ApiError;
use crate::extract::{Call, JsonBody, Query};
use crate::pagination::PageParams;
use crate::refusals::{conflict, taken, Refusals};
use crate::reply::Reply;
use crate::routes::named::named_key;
use crate::routes::organizations::org_key;

/// A user id from the path; anything else can name no team member (404).
fn team_member_id(raw: &str) -> Result<UserId, ApiError> {
    UserId::parse(raw).ok_or_else(|| ApiError::not_found("team member"))
}

/// List a team's members
///
/// By when they joined the team.
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/teams/{team}/members",
    tag = "teams",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("team" = String, Path, description = "Team id or name"),
        PageParams,
    ),
    responses((status = 200, description = "A page of the team's members", body = TeamMemberList))
)]
pub async fn list_team_members(
    call: Call<ListTeamMembers>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (org, team) = path.into_inner();
    let op = ListTeamMembers {
        organization: org_key(&org)?,
        team: named_key(&team, "team")?,
        page: query.0.parse()?,
    };
    call.list(
        &req,
        op.page.clone(),
        op,
        CoreTeamMember::cursor,
        TeamMember::from,
    )
    .await
}

/// Add a member to a team
///
/// Only a current member of the organization joins its teams (422
/// `not-an-organization-member` otherwise); someone in the team already is 409. The team's
/// maintainers may do it without `teams:write`.
#[utoipa::path(
    post,
    path = "/v1/organizations/{org}/teams/{team}/members",
    tag = "teams",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("team" = String, Path, description = "Team id or name"),
    ),
    request_body = json::AddTeamMember,
    responses(
        (status = 201, description = "Added", body = TeamMember),
        (status = 409, description = "In the team already, or the organization closed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add_team_member(
    call: Call<AddTeamMember>,
    path: web::Path<(String, String)>,
    body: JsonBody<json::AddTeamMember>,
) -> Result<HttpResponse, ApiError> {
    let (org, team) = path.into_inner();
    let op = AddTeamMember {
        organization: org_key(&org)?,
        team: named_key(&team, "team")?,
        user: UserId::from_uuid(body.0.user_id),
        role: body.0.role.unwrap_or_default(),
    };
    call.respond(op, |added| {
        Reply::json(StatusCode::CREATED, &TeamMember::from(added.clone()))
    })
    .await
}

/// Change a team member's role
#[utoipa::path(
    patch,
    path = "/v1/organizations/{org}/teams/{team}/members/{user_id}",
    tag = "teams",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("team" = String, Path, description = "Team id or name"),
        ("user_id" = Uuid, Path, description = "The member's user id"),
    ),
    request_body(content = json::UpdateTeamMember, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "Changed", body = TeamMember))
)]
pub async fn update_team_member(
    call: Call<UpdateTeamMember>,
    path: web::Path<(String, String, String)>,
    body: JsonBody<json::UpdateTeamMember>,
) -> Result<HttpResponse, ApiError> {
    let (org, team, user) = path.into_inner();
    let changed = call
        .execute(UpdateTeamMember {
            organization: org_key(&org)?,
            team: named_key(&team, "team")?,
            user: team_member_id(&user)?,
            role: body.0.role,
        })
        .await?;
    Ok(HttpResponse::Ok().json(TeamMember::from(changed)))
}

/// Remove a member from a team
///
/// By the team's maintainers or holders of `teams:write`; any member may remove itself
/// (leave the team).
#[utoipa::path(
    delete,
    path = "/v1/organizations/{org}/teams/{team}/members/{user_id}",
    tag = "teams",
    params(
        ("org" = String, Path, description = "Organization id or name"),
        ("team" = String, Path, description = "Team id or name"),
        ("user_id" = Uuid, Path, description = "The member's user id"),
    ),
    responses((status = 204, description = "Removed"))
)]
pub async fn remove_team_member(
    call: Call<RemoveTeamMember>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, team, user) = path.into_inner();
    call.execute(RemoveTeamMember {
        organization: org_key(&org)?,
        team: named_key(&team, "team")?,
        user: team_member_id(&user)?,
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

impl Refusals for ListTeamMembers {}

impl Refusals for AddTeamMember {
    fn refusals() -> Vec<ApiError> {
        vec![
            CoreError::NotOrganizationMember(
                "only current members of the organization join its teams".into(),
            )
            .into(),
            taken(Unique::TeamMember),
            conflict(Conflict::Closed),
        ]
    }
}

impl Refusals for UpdateTeamMember {
    fn refusals() -> Vec<ApiError> {
        vec![conflict(Conflict::Closed)]
    }
}

impl Refusals for RemoveTeamMember {
    fn refusals() -> Vec<ApiError> {
        vec![conflict(Conflict::Closed)]
    }
}
