//! `GET /v1/organizations`: the caller's organizations (or all, for platform admins).

use actix_web::{get, web, HttpRequest, HttpResponse};
use roster_domain::Permission;
use roster_store::memberships;
use roster_store::organization_list::{
    self, Keyset, OrgFilter, OrgScope, OrgSort, PageStart, PersonalFilter, SortValue,
};
use roster_store::{DbConn, DbId, OrganizationRow, Ts};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::get::Expand;
use super::json::Organization;
use super::view;
use crate::access::OrgAccess;
use crate::error::ApiError;
use crate::extract::{Authenticated, Caller, Query};
use crate::pagination::{envelope, window, ListEnvelope, PageParams, PageRequest};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListOrganizationsQuery {
    /// `mine` (default) or, for platform admins, `all`.
    pub scope: Option<ListScope>,
    /// Comma-separated states (`active`, `inactive`, `closed`). Default: `active,inactive`.
    pub state: Option<String>,
    /// Exact `reference`.
    pub reference: Option<String>,
    /// `include` (default), `exclude` or `only` personal organizations.
    pub personal: Option<Personal>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListScope {
    Mine,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Personal {
    Include,
    Exclude,
    Only,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Name,
    CreatedAt,
    Id,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Asc,
    Desc,
}

/// Each expanded organization costs a query for its members, so expanded pages stay small.
const MAX_EXPANDED_PAGE: i64 = 100;

/// The continuation point, bound to the sort it was issued for.
#[derive(Debug, Serialize, Deserialize)]
struct OrgCursor {
    sort: SortKey,
    direction: Direction,
    /// The sort key's value in the last row (name or RFC 3339 time; empty for `id`).
    value: String,
    id: uuid::Uuid,
}

/// List organizations
///
/// The caller's organizations (all of them for a platform admin with `scope=all`), filtered,
/// sorted, and paginated by cursor or by page.
#[utoipa::path(
    tag = "organizations",
    params(ListOrganizationsQuery, PageParams),
    responses((status = 200, body = ListEnvelope<Organization>)),
    security(("bearer" = []), ("oauth2" = []))
)]
#[get("/v1/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
    query: Query<ListOrganizationsQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let wants_all = query.scope == Some(ListScope::All);
    let sort = query.sort.unwrap_or(SortKey::CreatedAt);
    let direction = query.direction.unwrap_or(Direction::Asc);
    let mut filter = OrgFilter {
        scope: OrgScope::MemberOf(DbId(auth.user_id)),
        states: parse_states(query.state.as_deref())?,
        reference: query.reference,
        personal: match query.personal.unwrap_or(Personal::Include) {
            Personal::Include => PersonalFilter::Include,
            Personal::Exclude => PersonalFilter::Exclude,
            Personal::Only => PersonalFilter::Only,
        },
        prefix: query
            .q
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty()),
        now: Ts::now(),
        only: auth.org_id.map(DbId),
    };
    let request: PageRequest<OrgCursor> = query.page.parse()?;
    let expand = query.expand == Some(Expand::Members);
    if expand && request.page_size() > MAX_EXPANDED_PAGE {
        return Err(ApiError::BadRequest(format!(
            "with expand=members a page holds at most {MAX_EXPANDED_PAGE} organizations"
        )));
    }
    let start = match &request {
        PageRequest::Cursor { after, .. } => PageStart::After(
            after
                .as_ref()
                .map(|c| keyset(c, sort, direction))
                .transpose()?,
        ),
        PageRequest::Page { .. } => PageStart::Offset(window(&request).0),
    };
    let (_, fetch) = window(&request);
    let wants_total = request.wants_total();
    let store_sort = match sort {
        SortKey::Name => OrgSort::Name,
        SortKey::CreatedAt => OrgSort::CreatedAt,
        SortKey::Id => OrgSort::Id,
    };
    let descending = direction == Direction::Desc;
    let (rows, total) = state
        .run(move |db| {
            db.read(move |conn| {
                let caller = auth.load(conn)?;
                if wants_all {
                    if !caller.is_admin {
                        return Err(ApiError::Forbidden(
                            "scope=all is for platform admins".into(),
                        ));
                    }
                    filter.scope = OrgScope::All;
                }
                let rows =
                    organization_list::list(conn, &filter, store_sort, descending, &start, fetch)?;
                let total = if wants_total {
                    Some(organization_list::count(conn, &filter)?)
                } else {
                    None
                };
                let mut listed = Vec::with_capacity(rows.len());
                for row in rows {
                    let json = if expand && may_read_members(conn, &caller, &row, filter.now)? {
                        view::with_members(conn, &row)?
                    } else {
                        view::organization(&row)
                    };
                    listed.push((row, json));
                }
                Ok::<_, ApiError>((listed, total))
            })
        })
        .await?;
    let body = envelope(
        &req,
        &request,
        rows,
        total,
        |(row, _): &(OrganizationRow, Organization)| cursor_after(row, sort, direction),
        |(_, json)| json,
    );
    Ok(HttpResponse::Ok().json(body))
}

/// `expand=members` embeds members only where the caller holds `members:read`.
fn may_read_members(
    conn: &mut DbConn,
    caller: &Caller,
    row: &OrganizationRow,
    now: Ts,
) -> Result<bool, ApiError> {
    let membership = memberships::find_current(conn, row.id, caller.db_id(), now)?;
    let access = OrgAccess {
        org: row.clone(),
        membership,
        is_admin: caller.is_admin,
    };
    Ok(access.permissions().contains(&Permission::MembersRead))
}

fn parse_states(raw: Option<&str>) -> Result<Vec<String>, ApiError> {
    let Some(raw) = raw else {
        return Ok(vec!["active".into(), "inactive".into()]);
    };
    raw.split(',')
        .map(|s| match s.trim() {
            s @ ("active" | "inactive" | "closed") => Ok(s.to_owned()),
            other => Err(ApiError::BadRequest(format!(
                "unknown state {other:?}: use active, inactive or closed"
            ))),
        })
        .collect()
}

fn cursor_after(row: &OrganizationRow, sort: SortKey, direction: Direction) -> OrgCursor {
    let value = match sort {
        SortKey::Name => row.name.clone(),
        SortKey::CreatedAt => row.created_at.to_sqlite_text(),
        SortKey::Id => String::new(),
    };
    OrgCursor {
        sort,
        direction,
        value,
        id: row.id.0,
    }
}

fn keyset(cursor: &OrgCursor, sort: SortKey, direction: Direction) -> Result<Keyset, ApiError> {
    if cursor.sort != sort || cursor.direction != direction {
        return Err(ApiError::BadRequest(
            "this cursor belongs to another sort or direction".into(),
        ));
    }
    let invalid = || ApiError::BadRequest("after is not a cursor this endpoint issued".into());
    let value = match sort {
        // Only a name can continue a name sort; anything else was never issued here.
        SortKey::Name if roster_domain::Slug::parse(&cursor.value).is_ok() => {
            SortValue::Name(cursor.value.clone())
        }
        SortKey::Name => return Err(invalid()),
        SortKey::CreatedAt => {
            let at = chrono::DateTime::parse_from_rfc3339(&cursor.value).map_err(|_| invalid())?;
            SortValue::CreatedAt(Ts::checked(at.with_timezone(&chrono::Utc)).ok_or_else(invalid)?)
        }
        SortKey::Id => SortValue::Id,
    };
    Ok(Keyset {
        value,
        id: DbId(cursor.id),
    })
}
