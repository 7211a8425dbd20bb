//! `POST /v1/auth/token`: the password and refresh_token grants.

use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{http::header, post, web, HttpRequest, HttpResponse};
use roster_auth::{hash_secret, new_refresh_token, OrgScope};
use roster_domain::{Email, FieldError};
use roster_store::refresh_tokens::{self, RefreshTokenRow};
use roster_store::{users, DbConn, DbId, Ts};

use super::json::{TokenRequest, TokenResponse};
use crate::access::{membership_permission_strings, resolve_here};
use crate::error::ApiError;
use crate::extract::{json_body, Authenticated, Caller};
use crate::login_throttle::Attempt;
use crate::state::AppState;

const BAD_LOGIN: &str = "invalid email or password";

/// Get tokens (sign in or refresh)
///
/// Sign in with a password, or trade a refresh token for a new pair. JSON or form-encoded. Refresh tokens rotate: each is good once, and presenting a used one
/// again revokes every token of that sign-in. With `organization`, the access token carries
/// `org_id`, `org_role` and `org_permissions` for that organization.
#[utoipa::path(
    tag = "auth",
    request_body(content(
        (TokenRequest = "application/json"),
        (TokenRequest = "application/x-www-form-urlencoded")
    )),
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Wrong credentials, or an invalid, expired, revoked or reused refresh token (`error`: `invalid_grant`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins for this account from this address, or from this address; wait `Retry-After` seconds", body = crate::error::Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until a failure leaves the window"))),
    )
)]
#[post("/v1/auth/token")]
pub async fn create_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let request = parse_token_request(&req, payload.into_inner()).await?;
    let response = match request.grant_type.as_str() {
        "password" => password_grant(&state, &req, request).await?,
        "refresh_token" => refresh_grant(&state, request).await?,
        other => {
            return Err(ApiError::field(FieldError::new(
                "grant_type",
                "unsupported",
                format!("unsupported grant_type {other:?}: use password or refresh_token"),
            )))
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(response))
}

async fn parse_token_request(
    req: &HttpRequest,
    payload: Payload,
) -> Result<TokenRequest, ApiError> {
    let mime = json_body::media_type(req).unwrap_or_default();
    let bytes = json_body::read_body(req, payload).await?;
    match mime.as_str() {
        "application/json" => json_body::parse_json(&bytes),
        "application/x-www-form-urlencoded" => {
            refuse_repeated_form_fields(&bytes)?;
            serde_urlencoded::from_bytes(&bytes)
                .map_err(|e| ApiError::field(json_body::field_error("", &e.to_string())))
        }
        _ => Err(ApiError::UnsupportedMediaType(
            "send application/json or application/x-www-form-urlencoded".into(),
        )),
    }
}

/// A form field given twice (`password=a&password=b`) is malformed, as a repeated JSON key is.
fn refuse_repeated_form_fields(bytes: &[u8]) -> Result<(), ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
        .map_err(|e| ApiError::BadRequest(format!("malformed form body: {e}")))?;
    let mut seen = std::collections::HashSet::new();
    match pairs.iter().find(|(name, _)| !seen.insert(name.as_str())) {
        Some((name, _)) => Err(ApiError::BadRequest(format!(
            "malformed form body: the field {name:?} appears twice"
        ))),
        None => Ok(()),
    }
}

fn required(value: Option<String>, field: &str) -> Result<String, ApiError> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| {
        ApiError::field(FieldError::new(
            field,
            "required",
            format!("{field} is required for this grant"),
        ))
    })
}

async fn password_grant(
    state: &AppState,
    req: &HttpRequest,
    request: TokenRequest,
) -> Result<TokenResponse, ApiError> {
    let username = required(request.username, "username")?;
    let password = required(request.password, "password")?;
    let throttle = state.policies.login_throttle;
    let attempt = Arc::new(Attempt::new(
        &username,
        state.policies.trusted_proxies.client_address(req),
    ));
    let email = Email::parse(&username).ok();
    let looked_up = Arc::clone(&attempt);
    let user = state
        .run(move |db| {
            db.read(|c| {
                // Throttled before the (costly) password check, so a flood costs us little.
                throttle.check(c, &looked_up, Ts::now())?;
                match &email {
                    Some(email) => users::find_by_email(c, email.as_str()).map_err(ApiError::from),
                    None => Ok(None),
                }
            })
        })
        .await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    if !state.passwords.verify(password, stored).await? {
        let failed = Arc::clone(&attempt);
        state
            .run(move |db| db.write(|c| throttle.failed(c, &failed, Ts::now())))
            .await?;
        return Err(ApiError::invalid_grant(BAD_LOGIN));
    }
    let Some(user) = user else {
        return Err(ApiError::invalid_grant(BAD_LOGIN));
    };
    if user.state != users::ACTIVE {
        return Err(ApiError::invalid_grant("this account is disabled"));
    }
    let caller = Caller {
        user_id: user.id.0,
        is_admin: user.is_admin,
        session_id: None,
        org_scope: None,
    };
    let organization = request.organization;
    let family = DbId(uuid::Uuid::now_v7());
    let state_for_tx = state.clone();
    state
        .run(move |db| {
            db.write(|conn| {
                let scope = organization
                    .as_deref()
                    .map(|key| org_scope(conn, &caller, key))
                    .transpose()?;
                throttle.succeeded(conn, &attempt)?;
                issue_pair(conn, &state_for_tx, caller.user_id, family, scope)
            })
        })
        .await
}

/// What a refresh attempt found; a replay must commit its revocation before failing.
enum Refreshed {
    Issued(TokenResponse),
    Rejected(&'static str),
}

async fn refresh_grant(state: &AppState, request: TokenRequest) -> Result<TokenResponse, ApiError> {
    let presented = required(request.refresh_token, "refresh_token")?;
    if request.organization.is_some() {
        return Err(ApiError::field(FieldError::new(
            "organization",
            "not_allowed",
            "a refresh keeps the organization of the original sign-in",
        )));
    }
    let state_for_tx = state.clone();
    let outcome = state
        .run(move |db| db.write(|conn| refresh_in(conn, &state_for_tx, &presented)))
        .await?;
    match outcome {
        Refreshed::Issued(response) => Ok(response),
        Refreshed::Rejected(reason) => Err(ApiError::invalid_grant(reason)),
    }
}

fn refresh_in(conn: &mut DbConn, state: &AppState, presented: &str) -> Result<Refreshed, ApiError> {
    let now = Ts::now();
    let Some(row) = refresh_tokens::find_by_hash(conn, &hash_secret(presented))? else {
        return Ok(Refreshed::Rejected("unknown refresh token"));
    };
    if row.revoked_at.is_some() {
        return Ok(Refreshed::Rejected("this refresh token has been revoked"));
    }
    if row.expires_at <= now {
        return Ok(Refreshed::Rejected("this refresh token has expired"));
    }
    let rotated_now = row.used_at.is_none() && refresh_tokens::mark_used(conn, row.id, now)?;
    if !rotated_now {
        // Rotated before, perhaps a moment ago by a concurrent request (read it again to see).
        let used_at = match row.used_at {
            Some(at) => Some(at),
            None => refresh_tokens::find(conn, row.id)?.and_then(|r| r.used_at),
        };
        let grace = chrono::Duration::from_std(state.policies.refresh_token_grace)
            .unwrap_or_else(|_| chrono::Duration::zero());
        let within_grace = used_at.is_some_and(|at| now.0 - at.0 <= grace);
        if !within_grace {
            // A rotated token came back: it was stolen or replayed. End the whole sign-in.
            refresh_tokens::revoke_family(conn, row.family_id, now)?;
            tracing::warn!(family = %row.family_id.0, user_id = %row.user_id.0, "refresh token reuse: session revoked");
            return Ok(Refreshed::Rejected(
                "this refresh token was already used; the session has been revoked",
            ));
        }
        // Two tabs refreshed at once: the late one gets a successor of its own, and the
        // session (with the winner's new tokens) stays alive.
    }
    let user = match users::find(conn, row.user_id)? {
        Some(user) if user.state == users::ACTIVE => user,
        _ => return Ok(Refreshed::Rejected("this account is disabled")),
    };
    let caller = Caller {
        user_id: user.id.0,
        is_admin: user.is_admin,
        session_id: Some(row.family_id.0),
        org_scope: None,
    };
    let scope = match row.organization_id {
        Some(org_id) => match org_scope(conn, &caller, &org_id.0.to_string()) {
            Ok(scope) => Some(scope),
            Err(ApiError::Validation { .. }) => {
                return Ok(Refreshed::Rejected(
                    "no longer a member of the token's organization",
                ))
            }
            Err(other) => return Err(other),
        },
        None => None,
    };
    issue_pair(conn, state, caller.user_id, row.family_id, scope).map(Refreshed::Issued)
}

/// The caller's role and permissions in an organization, for a scoped token.
fn org_scope(conn: &mut DbConn, caller: &Caller, key: &str) -> Result<OrgScope, ApiError> {
    let not_member = || {
        ApiError::field(FieldError::new(
            "organization",
            "not_a_member",
            "no such organization, or you are not a member of it",
        ))
    };
    let auth = Authenticated {
        user_id: caller.user_id,
        session_id: caller.session_id,
        org_id: None,
    };
    // Unknown and invisible organizations look alike; anything else (an outage) passes through.
    let (_, access) = resolve_here(conn, &auth, key, Ts::now()).map_err(|error| match error {
        ApiError::NotFound(_) => not_member(),
        other => other,
    })?;
    let membership = access.membership.ok_or_else(not_member)?;
    Ok(OrgScope {
        org_id: access.org.id.0,
        role: membership.role.clone(),
        permissions: membership_permission_strings(&membership),
    })
}

/// Stores a new refresh token in `family` and signs an access token for the same session.
fn issue_pair(
    conn: &mut DbConn,
    state: &AppState,
    user_id: uuid::Uuid,
    family: DbId,
    scope: Option<OrgScope>,
) -> Result<TokenResponse, ApiError> {
    let now = Ts::now();
    let ttl = chrono::Duration::from_std(state.policies.refresh_token_ttl)
        .unwrap_or(chrono::Duration::days(30));
    let refresh = new_refresh_token();
    refresh_tokens::insert(
        conn,
        &RefreshTokenRow {
            id: DbId(uuid::Uuid::now_v7()),
            family_id: family,
            user_id: DbId(user_id),
            token_hash: refresh.hash.clone(),
            organization_id: scope.as_ref().map(|s| DbId(s.org_id)),
            created_at: now,
            expires_at: Ts::from_datetime(now.0 + ttl),
            used_at: None,
            revoked_at: None,
        },
    )?;
    let access = state.keys.issue(user_id, family.0, scope)?;
    Ok(TokenResponse {
        access_token: access.token,
        token_type: "Bearer",
        expires_in: access.expires_in,
        refresh_token: refresh.plaintext,
    })
}
