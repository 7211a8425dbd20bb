//! `POST /v1/auth/token`: the password and refresh_token grants, answering as RFC 6749 asks
//! (errors included: 400 with `invalid_request`, `invalid_grant` or `unsupported_grant_type`).

use crate::refusals::Refusals;
use actix_web::dev::Payload;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use roster_core::organizations::OrgKey;
use roster_core::sessions::{Grant, IssueTokens};
use roster_domain::FieldError;

use super::json::{TokenRequest, TokenResponse};
use crate::error::ApiError;
use crate::extract::{json_body, Call};

/// Get tokens (sign in or refresh)
///
/// Sign in with a password (`grant_type=password`, your email as `username`), or trade a
/// refresh token for a new pair (`grant_type=refresh_token`). Form-encoded as OAuth2 has it;
/// a JSON body with the same fields works too. Refresh tokens rotate: each is good once, and
/// presenting a used one again revokes every token of that sign-in (except within a few
/// seconds, when two tabs refresh at once). With `organization`, the access token carries
/// `org_id`, `org_role` and `org_permissions` for that organization. Failed sign-ins are
/// throttled per account and address (429).
#[utoipa::path(
    post,
    path = "/v1/auth/token",
    tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Signed in: a new pair of tokens", body = TokenResponse),
        (status = 400, description = "`error` says why: `invalid_request` (a field is missing or wrong), `invalid_grant` (wrong email or password; an unknown, expired, revoked or reused refresh token; not a member of `organization`) or `unsupported_grant_type`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins for this account from this address, or from this address; wait `Retry-After` seconds", body = crate::error::Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until a failure leaves the window"))),
    )
)]
pub async fn create_token(
    call: Call<IssueTokens>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let request = parse_token_request(&req, payload.into_inner())
        .await
        .map_err(ApiError::as_invalid_request)?;
    let grant = grant(request).map_err(ApiError::as_invalid_request)?;
    let tokens = call.perform(IssueTokens(grant)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse {
            access_token: tokens.access_token,
            token_type: "Bearer",
            expires_in: tokens.expires_in,
            refresh_token: tokens.refresh_token,
        }))
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
            "send application/x-www-form-urlencoded or application/json".into(),
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

/// The grant the request asks for, with the fields it needs.
fn grant(request: TokenRequest) -> Result<Grant, ApiError> {
    match request.grant_type.as_str() {
        "password" => {
            let username = required(request.username, "username")?;
            let password = required(request.password, "password")?;
            // A key that can name no organization names none a user is a member of.
            let organization = match request.organization {
                Some(raw) => Some(OrgKey::parse(&raw).ok_or_else(|| ApiError::OAuth {
                    error: "invalid_grant",
                    detail: "no such organization, or you are not a member of it".into(),
                    errors: Vec::new(),
                })?),
                None => None,
            };
            Ok(Grant::Password {
                username,
                password,
                organization,
            })
        }
        "refresh_token" => {
            let refresh_token = required(request.refresh_token, "refresh_token")?;
            if request.organization.is_some() {
                return Err(ApiError::field(FieldError::new(
                    "organization",
                    "not_allowed",
                    "a refresh keeps the organization of the original sign-in",
                )));
            }
            Ok(Grant::RefreshToken { refresh_token })
        }
        other => Err(ApiError::OAuth {
            error: "unsupported_grant_type",
            detail: format!("unsupported grant_type {other:?}: use password or refresh_token"),
            errors: vec![FieldError::new(
                "grant_type",
                "unsupported",
                "use password or refresh_token",
            )],
        }),
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

impl Refusals for IssueTokens {
    fn refusals() -> Vec<ApiError> {
        vec![crate::refusals::too_many_attempts()]
    }
}
