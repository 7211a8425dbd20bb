//! `POST /v1/organizations/{org}/transfer-ownership`.

use crate::refusals::{conflict, forbidden, Refusals};
use actix_web::{web, HttpResponse};
use roster_core::members::TransferOwnership;
use roster_core::{Conflict, Forbidden};
use roster_domain::UserId;

use super::json::{self, Transferred};
use crate::error::ApiError;
use crate::extract::{Call, JsonBody};
use crate::reply::Reply;
use crate::routes::organizations::{org_key, view};
use actix_web::http::StatusCode;

/// Transfer ownership
///
/// By an owner: the member becomes owner and, unless `keep_owner`, the caller becomes `admin`,
/// in one transaction. The owner of a personal organization keeps it.
#[utoipa::path(
    post,
    path = "/v1/organizations/{org}/transfer-ownership",
    tag = "members",
    params(("org" = String, Path, description = "Organization id or name")),
    request_body = json::TransferOwnership,
    responses(
        (status = 200, description = "Transferred", body = Transferred),
        (status = 409, description = "A personal organization, or the organization is closed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn transfer_ownership(
    call: Call<TransferOwnership>,
    path: web::Path<String>,
    body: JsonBody<json::TransferOwnership>,
) -> Result<HttpResponse, ApiError> {
    let op = TransferOwnership {
        organization: org_key(&path)?,
        to: UserId::from_uuid(body.0.user_id),
        keep_owner: body.0.keep_owner,
    };
    call.respond(op, |done| {
        let body = Transferred {
            previous_owner: done.previous_owner.clone().map(view::membership),
            new_owner: view::membership(done.new_owner.clone()),
        };
        Reply::json(StatusCode::OK, &body)
    })
    .await
}

impl Refusals for TransferOwnership {
    fn refusals() -> Vec<ApiError> {
        vec![
            forbidden(Forbidden::Policy(
                "ownership is handed over by a person, not by an API key",
            )),
            conflict(Conflict::PersonalOrganization),
            conflict(Conflict::Closed),
        ]
    }
}
