//! `GET /v1/organizations/{org}/usage`.

use crate::refusals::Refusals;
use actix_web::{web, HttpResponse};
use roster_core::organizations::{GetUsage, Used};
use serde::Serialize;
use utoipa::ToSchema;

use super::key::org_key;
use crate::error::ApiError;
use crate::extract::Call;

/// One limit beside its use.
#[derive(Debug, Serialize, ToSchema)]
pub struct LimitUse {
    /// How many there are.
    #[schema(example = 3)]
    pub used: i64,
    /// The limit; `null` where none is set.
    #[schema(example = 10)]
    pub limit: Option<i64>,
}

/// Each limit beside what is in use.
#[derive(Debug, Serialize, ToSchema)]
pub struct Usage {
    /// Current members (`limits.max_members`).
    pub members: LimitUse,
    /// Organization API keys that work (`limits.max_api_keys`).
    pub api_keys: LimitUse,
    /// Pending, unexpired invitations (`limits.max_invitations`).
    pub invitations: LimitUse,
    /// Teams (`limits.max_teams`).
    pub teams: LimitUse,
    /// Projects (`limits.max_projects`).
    pub projects: LimitUse,
}

impl From<Used> for LimitUse {
    fn from(used: Used) -> Self {
        LimitUse {
            used: used.used,
            limit: used.limit,
        }
    }
}

/// Get usage
///
/// Each limit beside its current use (`limit` is null where none is set). Limits are set by
/// platform admins; passing one is 409 with a problem type naming it
/// (`max-members-reached`, `max-api-keys-reached`, `max-invitations-reached`,
/// `max-teams-reached`, `max-projects-reached`).
#[utoipa::path(
    get,
    path = "/v1/organizations/{org}/usage",
    tag = "organizations",
    params(("org" = String, Path, description = "Organization id or name")),
    responses((status = 200, description = "Limits and use", body = Usage))
)]
pub async fn get_usage(
    call: Call<GetUsage>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let usage = call
        .execute(GetUsage {
            organization: org_key(&path)?,
        })
        .await?;
    Ok(HttpResponse::Ok().json(Usage {
        members: usage.members.into(),
        api_keys: usage.api_keys.into(),
        invitations: usage.invitations.into(),
        teams: usage.teams.into(),
        projects: usage.projects.into(),
    }))
}

impl Refusals for GetUsage {}
