//! `GET /v1/users/me/organizations`: the caller's memberships with their organizations.

use actix_web::{get, web, HttpRequest, HttpResponse};
use roster_store::memberships::{self, MembershipRow, UserMembershipFilter};
use roster_store::{DbId, OrganizationRow, Ts};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use crate::access::membership_permission_strings;
use crate::error::ApiError;
use crate::extract::{from_query_text, Caller, Query};
use crate::pagination::{envelope, window, ListEnvelope, PageParams, PageRequest};
use crate::routes::organizations::json::MyOrganization;
use crate::routes::organizations::view;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListMyOrganizationsQuery {
    /// Include closed organizations too.
    #[serde(default, deserialize_with = "from_query_text")]
    pub include_closed: Option<bool>,
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageParams,
}

#[derive(Serialize, Deserialize)]
struct MembershipCursor {
    organization_id: uuid::Uuid,
}

/// List your memberships
///
/// Every organization the caller belongs to, with the caller's role and effective permissions.
#[utoipa::path(
    tag = "users",
    params(ListMyOrganizationsQuery, PageParams),
    responses((status = 200, body = ListEnvelope<MyOrganization>)),
    security(("bearer" = []), ("oauth2" = []))
)]
#[get("/v1/users/me/organizations")]
pub async fn list_my_organizations(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    query: Query<ListMyOrganizationsQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let request: PageRequest<MembershipCursor> = query.page.parse()?;
    let (offset, fetch) = window(&request);
    let after = request.cursor().map(|c| DbId(c.organization_id));
    let wants_total = request.wants_total();
    let mut states = vec!["active".to_owned(), "inactive".to_owned()];
    if query.include_closed == Some(true) {
        states.push("closed".to_owned());
    }
    let filter = UserMembershipFilter {
        user_id: caller.db_id(),
        states,
        // A token scoped to one organization sees that one only, as everywhere else.
        only: caller.org_scope.map(DbId),
        now: Ts::now(),
    };
    let (rows, total) = state
        .run(move |db| {
            db.read(|conn| {
                let rows = memberships::list_for_user(conn, &filter, after, offset, fetch)?;
                let total = if wants_total {
                    Some(memberships::count_for_user(conn, &filter)?)
                } else {
                    None
                };
                Ok::<_, ApiError>((rows, total))
            })
        })
        .await?;
    let body = envelope(
        &req,
        &request,
        rows,
        total,
        |(m, _): &(MembershipRow, OrganizationRow)| MembershipCursor {
            organization_id: m.organization_id.0,
        },
        |(membership, org)| MyOrganization {
            organization: view::organization(&org),
            role: membership.role.clone(),
            permissions: membership_permission_strings(&membership),
            expires_at: membership.expires_at.map(|t| t.0),
            created_at: membership.created_at.0,
        },
    );
    Ok(HttpResponse::Ok().json(body))
}
