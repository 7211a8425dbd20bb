//! `GET /v1/organizations`.

use crate::refusals::{forbidden, Refusals};
use actix_web::{HttpRequest, HttpResponse};
use roster_core::organizations::{self as ops, Inclusion, OrgCursor, OrgSort};
use roster_core::Forbidden;
use roster_domain::OrgState;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::get::Expand;
use super::json::OrganizationList;
use super::view;
use crate::error::ApiError;
use crate::extract::{Call, Query};
use crate::pagination::PageParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListOrganizationsQuery {
    /// `mine` (default) or, for platform admins, `all`.
    pub scope: Option<ListScope>,
    /// Comma-separated states (`active`, `inactive`, `closed`). Default: `active,inactive`.
    #[param(pattern = "^(active|inactive|closed)(,(active|inactive|closed))*$")]
    pub state: Option<String>,
    /// Exact `reference`.
    pub reference: Option<String>,
    /// `include` (default), `exclude` or `only` personal organizations.
    pub personal: Option<IncludeMode>,
    /// Organizations that have no project: `include` (default), `exclude` (list only those with
    /// at least one) or `only`.
    pub without_projects: Option<IncludeMode>,
    /// Prefix of the name, or of the display name (case-insensitive).
    pub q: Option<String>,
    /// `created_at` (default), `name` or `id`.
    pub sort: Option<SortKey>,
    /// `asc` (default) or `desc`.
    pub direction: Option<Direction>,
    /// `members` embeds each organization's first 100 members where the caller may read them
    /// (`members:read`); a page then holds at most 100 organizations.
    pub expand: Option<Expand>,
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageParams,
}

/// Whose organizations to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListScope {
    Mine,
    All,
}

/// Whether the organizations a filter names are listed with the rest (`include`), left out
/// (`exclude`) or listed alone (`only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncludeMode {
    Include,
    Exclude,
    Only,
}

impl IncludeMode {
    /// The filter a query parameter asks for (`include` when it is absent).
    fn inclusion(mode: Option<IncludeMode>) -> Inclusion {
        match mode.unwrap_or(IncludeMode::Include) {
            IncludeMode::Include => Inclusion::Include,
            IncludeMode::Exclude => Inclusion::Exclude,
            IncludeMode::Only => Inclusion::Only,
        }
    }
}

/// What a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Name,
    CreatedAt,
    Id,
}

/// Which way a list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Asc,
    Desc,
}

/// List organizations
///
/// The caller's organizations (all of them for a platform admin with `scope=all`), filtered,
/// sorted, and paginated by cursor or by page.
#[utoipa::path(
    get,
    path = "/v1/organizations",
    tag = "organizations",
    params(ListOrganizationsQuery, PageParams),
    responses((status = 200, description = "A page of organizations", body = OrganizationList))
)]
pub async fn list_organizations(
    call: Call<ops::ListOrganizations>,
    req: HttpRequest,
    query: Query<ListOrganizationsQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let sort = match query.sort.unwrap_or(SortKey::CreatedAt) {
        SortKey::Name => OrgSort::Name,
        SortKey::CreatedAt => OrgSort::CreatedAt,
        SortKey::Id => OrgSort::Id,
    };
    let descending = query.direction == Some(Direction::Desc);
    let op = ops::ListOrganizations {
        all: query.scope == Some(ListScope::All),
        states: parse_states(query.state.as_deref())?,
        reference: query.reference,
        personal: IncludeMode::inclusion(query.personal),
        without_projects: IncludeMode::inclusion(query.without_projects),
        prefix: query
            .q
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty()),
        sort,
        descending,
        expand_members: query.expand == Some(Expand::Members),
        page: query.page.parse()?,
    };
    call.list(
        &req,
        op.page.clone(),
        op,
        |view| OrgCursor::after(&view.org, sort, descending),
        view::organization_view,
    )
    .await
}

fn parse_states(raw: Option<&str>) -> Result<Vec<OrgState>, ApiError> {
    let Some(raw) = raw else {
        return Ok(vec![OrgState::Active, OrgState::Inactive]);
    };
    raw.split(',')
        .map(|s| {
            OrgState::parse(s.trim()).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "unknown state {:?}: use active, inactive or closed",
                    s.trim()
                ))
            })
        })
        .collect()
}

impl Refusals for ops::ListOrganizations {
    fn refusals() -> Vec<ApiError> {
        vec![forbidden(Forbidden::Policy(
            "scope=all is for platform admins",
        ))]
    }
}
