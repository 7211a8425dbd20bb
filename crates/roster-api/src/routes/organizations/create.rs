//! `POST /v1/organizations`: the caller becomes owner, in the same transaction.

use actix_web::{http::header, post, web, HttpResponse};
use roster_domain::{Email, FieldError, OrgState, Role, Visibility};
use roster_store::memberships::{self, MembershipRow};
use roster_store::{
    organizations, users, DbConn, DbId, JsonValue, OrganizationRow, StoreError, Ts,
};
use serde_json::{json, Value};

use super::json::{CreateOrganization, NewMember, Organization, UpdateOrganization};
use super::patch::{address_json, apply};
use super::view;
use crate::config::OrgCreationPolicy;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;

/// Create an organization
///
/// The caller becomes its `owner`; `members` adds more people in the same transaction (all or
/// nothing).
#[utoipa::path(
    tag = "organizations",
    params(crate::idempotency::IdempotencyKey),
    request_body = CreateOrganization,
    responses(
        (status = 201, body = Organization, headers(("ETag" = String), ("Location" = String))),
        (status = 409, description = "The name or reference is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []), ("oauth2" = []))
)]
#[post(
    "/v1/organizations",
    wrap = "actix_web::middleware::from_fn(crate::idempotency::replayable)"
)]
pub async fn create_organization(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<CreateOrganization>,
) -> Result<HttpResponse, ApiError> {
    caller.require_unscoped()?;
    if state.policies.org_creation == OrgCreationPolicy::Admins && !caller.is_admin {
        return Err(ApiError::Forbidden(
            "only platform admins may create organizations here".into(),
        ));
    }
    let request = body.0;
    let now = Ts::now();
    let mut row = empty_organization(&caller, now);
    let members = request.members;
    let patch = UpdateOrganization {
        name: Some(Some(request.name)),
        display_name: request.display_name.map(Some),
        billing_email: request.billing_email.map(Some),
        description: request.description.map(Some),
        website: request.website.map(Some),
        logo_url: request.logo_url.map(Some),
        address: request.address.map(|a| {
            Some(address_json(&roster_domain::Address {
                line1: a.line1,
                line2: a.line2,
                city: a.city,
                region: a.region,
                postal_code: a.postal_code,
                country: a.country,
                latitude: a.latitude,
                longitude: a.longitude,
            }))
        }),
        reference: request.reference.map(Some),
        custom: request.custom.map(Some),
        personal: Some(Some(request.personal)),
        visibility: request.visibility.map(Some),
        limits: request
            .limits
            .map(|l| Some(json!({"max_members": l.max_members, "max_api_keys": l.max_api_keys}))),
        state: None,
    };
    let display_name_given = patch.display_name.is_some();
    apply(&mut row, patch).map_err(ApiError::validation)?;
    if !display_name_given {
        row.display_name = row.name.clone();
    }
    let roles = parse_member_roles(&members)?;
    if let Some(max) = row.max_members {
        if 1 + members.len() as i64 > max {
            return Err(ApiError::field(FieldError::new(
                "members",
                "limit_exceeded",
                format!("limits.max_members is {max}"),
            )));
        }
    }
    let created = state
        .run(move |db| {
            db.write(|conn| {
                organizations::insert(conn, &row).map_err(taken)?;
                add_member(conn, &row, caller.db_id(), Role::Owner, now)?;
                let mut seen = vec![caller.db_id()];
                for (index, (member, role)) in members.iter().zip(roles.iter().cloned()).enumerate()
                {
                    let user_id = find_member(conn, member, index)?;
                    if seen.contains(&user_id) {
                        return Err(ApiError::field(FieldError::new(
                            format!("members[{index}]"),
                            "duplicate",
                            "this user is already a member",
                        )));
                    }
                    seen.push(user_id);
                    add_member(conn, &row, user_id, role, now)?;
                }
                organizations::add_members(conn, row.id, seen.len() as i64)?;
                let created = organizations::find(conn, row.id)?.ok_or(StoreError::NotFound)?;
                Ok::<_, ApiError>(created)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/v1/organizations/{}", created.id.0),
        ))
        .insert_header((header::ETAG, view::etag(&created)))
        .json(view::organization(&created)))
}

fn empty_organization(caller: &Caller, now: Ts) -> OrganizationRow {
    OrganizationRow {
        id: DbId(uuid::Uuid::now_v7()),
        name: String::new(),
        display_name: String::new(),
        display_name_folded: String::new(),
        billing_email: None,
        description: None,
        website: None,
        logo_url: None,
        address: JsonValue(address_json(&roster_domain::Address::default())),
        reference: None,
        custom: JsonValue(Value::Object(serde_json::Map::new())),
        state: OrgState::Active.as_str().to_owned(),
        personal: false,
        visibility: Visibility::Private.as_str().to_owned(),
        max_members: None,
        max_api_keys: None,
        member_count: 0,
        version: 1,
        created_by: Some(caller.db_id()),
        created_at: now,
        updated_at: now,
        closed_at: None,
    }
}

/// Maps the unique constraints of `organizations` to the field a client can change.
pub fn taken(error: StoreError) -> ApiError {
    if error.is_unique_on("reference") {
        return ApiError::Conflict("another organization already has this reference".into());
    }
    if error.is_unique_on("name") {
        return ApiError::Conflict("this organization name is taken".into());
    }
    error.into()
}

fn parse_member_roles(members: &[NewMember]) -> Result<Vec<Role>, ApiError> {
    let mut errors = Vec::new();
    let mut roles = Vec::new();
    for (index, member) in members.iter().enumerate() {
        match Role::parse_field(&member.role, &format!("members[{index}].role")) {
            Ok(role) if role.is_builtin() => roles.push(role),
            Ok(_) => errors.push(FieldError::new(
                format!("members[{index}].role"),
                "unknown_role",
                "a new organization has only the built-in roles: owner, admin, member, viewer",
            )),
            Err(e) => errors.push(e),
        }
        if member.user_id.is_some() == member.email.is_some() {
            errors.push(FieldError::new(
                format!("members[{index}]"),
                "invalid_value",
                "give exactly one of user_id and email",
            ));
        }
    }
    if errors.is_empty() {
        Ok(roles)
    } else {
        Err(ApiError::validation(errors))
    }
}

fn find_member(conn: &mut DbConn, member: &NewMember, index: usize) -> Result<DbId, ApiError> {
    let unknown = |field: &str| {
        ApiError::field(FieldError::new(
            format!("members[{index}].{field}"),
            "not_found",
            "no such user",
        ))
    };
    let user = match (&member.user_id, &member.email) {
        (Some(id), _) => users::find(conn, DbId(*id))?.ok_or_else(|| unknown("user_id"))?,
        (None, Some(email)) => {
            let email = Email::parse_field(email, &format!("members[{index}].email"))?;
            users::find_by_email(conn, email.as_str())?.ok_or_else(|| unknown("email"))?
        }
        (None, None) => return Err(unknown("user_id")),
    };
    Ok(user.id)
}

fn add_member(
    conn: &mut DbConn,
    org: &OrganizationRow,
    user_id: DbId,
    role: Role,
    now: Ts,
) -> Result<(), ApiError> {
    memberships::insert(
        conn,
        &MembershipRow {
            organization_id: org.id,
            user_id,
            role: role.as_str().to_owned(),
            permissions: JsonValue(Value::Array(Vec::new())),
            expires_at: None,
            created_at: now,
            updated_at: now,
        },
    )?;
    Ok(())
}
