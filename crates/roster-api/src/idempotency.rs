//! `Idempotency-Key` for POST requests: the same key with the same request within 24 hours
//! replays the first response (with `Idempotent-Replayed: true`); the same key with another
//! request is 422; a retry while the first request still runs is 409.
//!
//! It is a route middleware, attached to each route that declares it (beside the handler, see
//! `routes`), so whether it applies is decided on the matched route and no spelling of a path
//! (`/v1/auth/%74oken`) reaches it where it does not belong. Routes whose requests carry a
//! secret (sign-in, sign-up, password change, revocation) do not declare it: their request
//! fingerprint would be a fast hash of a password or token.
//!
//! Keys are scoped to the caller (the access token's user), and the caller is authenticated
//! before anything is claimed or replayed: a signed-out session or a disabled user gets 401,
//! never a stored response.

use std::sync::atomic::{AtomicI64, Ordering};

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use roster_store::idempotency::{self, Claim, IdempotencyRow};
use roster_store::{JsonValue, Ts};
use sha2::{Digest, Sha256};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Required;

use crate::error::ApiError;
use crate::extract::json_body::read_body;
use crate::extract::{credential, verify, Authenticated};
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
const REPLAYED: &str = "idempotent-replayed";
/// A claim whose request never finished (the process died, the client went away) is abandoned
/// after this long, so a retry can run instead of answering 409 for a day.
const ABANDONED_AFTER_SECONDS: i64 = 60;
const LIFETIME_HOURS: i64 = 24;
/// Response headers worth replaying.
const KEPT_HEADERS: &[&str] = &["content-type", "location", "etag"];

static LAST_PURGE: AtomicI64 = AtomicI64::new(0);

/// The route middleware: `#[post("…", wrap = "from_fn(crate::idempotency::replayable)")]`.
pub async fn replayable(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(key) = req
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().map(str::to_owned))
    else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = match key {
        Ok(k) if !k.is_empty() && k.len() <= 255 => k,
        _ => {
            return Ok(reject(
                req,
                ApiError::BadRequest("Idempotency-Key must be 1 to 255 visible characters".into()),
            ))
        }
    };
    let auth = match authenticate(&req, &state).await {
        Ok(auth) => auth,
        Err(error) => return Ok(reject(req, error)),
    };

    let payload = req.take_payload();
    let body = match read_body(req.request(), payload).await {
        Ok(body) => body.freeze(),
        Err(error) => return Ok(reject(req, error)),
    };
    let scope = format!("user:{}", auth.user_id);
    let hash = request_hash(&req, &body);
    req.set_payload(actix_web::dev::Payload::from(body));

    let now = Ts::now();
    let row = IdempotencyRow {
        scope: scope.clone(),
        key: key.clone(),
        request_hash: hash.clone(),
        status: None,
        response_headers: None,
        response_body: None,
        created_at: now,
    };
    let expired_before = Ts::from_datetime(now.0 - chrono::Duration::hours(LIFETIME_HOURS));
    let abandoned_before =
        Ts::from_datetime(now.0 - chrono::Duration::seconds(ABANDONED_AFTER_SECONDS));
    let claimed = state
        .run(move |db| {
            db.write(|conn| {
                // The credential must still work (session live, user active) before anything
                // is claimed or replayed to it.
                auth.load(conn)?;
                idempotency::claim(conn, &row, expired_before, abandoned_before)
                    .map_err(ApiError::from)
            })
        })
        .await;
    match claimed {
        Err(error) => return Ok(reject(req, error)),
        Ok(Claim::Existing(existing)) => return Ok(replay(req, *existing, &hash)),
        Ok(Claim::Claimed) => {}
    }
    purge_now_and_then(&state, expired_before);

    let response = match next.call(req).await {
        Ok(response) => response.map_into_boxed_body(),
        Err(error) => {
            release(&state, scope, key).await;
            return Err(error);
        }
    };
    let (http_req, response) = response.into_parts();
    let status = response.status();
    let (head, body) = response.into_parts();
    let bytes = to_bytes(body).await.unwrap_or_default();
    // Server faults and failed authentication are not results to pin: let a retry run again.
    let keep = !status.is_server_error() && status != StatusCode::UNAUTHORIZED;
    let headers = kept_headers(&head);
    let stored = bytes.to_vec();
    let outcome = state
        .run(move |db| {
            db.write(|conn| {
                if keep {
                    idempotency::complete(
                        conn,
                        &scope,
                        &key,
                        i32::from(status.as_u16()),
                        JsonValue(headers.clone()),
                        stored.clone(),
                    )
                } else {
                    idempotency::release(conn, &scope, &key)
                }
                .map_err(ApiError::from)
            })
        })
        .await;
    if let Err(error) = outcome {
        tracing::warn!(%error, "could not record the idempotent response");
    }
    Ok(ServiceResponse::new(
        http_req,
        head.set_body(BoxBody::new(bytes)),
    ))
}

/// The `Idempotency-Key` header, for the OpenAPI document of the routes that honour it:
/// `#[utoipa::path(params(IdempotencyKey), …)]`.
pub struct IdempotencyKey;

impl utoipa::IntoParams for IdempotencyKey {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Retry safely: the same key with the same request within 24 hours replays the \
                 first response (with `Idempotent-Replayed: true`); the same key with a \
                 different request is 422.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(255)),
            ))
            .build()]
    }
}

/// The caller, from its credential (verified, not yet checked against the database).
/// Idempotent routes all need a signed-in caller.
async fn authenticate(req: &ServiceRequest, state: &AppState) -> Result<Authenticated, ApiError> {
    match credential(req.request())? {
        Some(token) => verify(state, token).await,
        None => Err(ApiError::unauthorized("this endpoint needs a bearer token")),
    }
}

fn request_hash(req: &ServiceRequest, body: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str());
    hasher.update(b" ");
    hasher.update(req.uri().to_string());
    hasher.update(b"\n");
    hasher.update(body);
    hasher.finalize().to_vec()
}

/// Gives a claimed key up so that a retry runs the request again.
async fn release(state: &AppState, scope: String, key: String) {
    let released = state
        .run(move |db| {
            db.write(|conn| idempotency::release(conn, &scope, &key).map_err(ApiError::from))
        })
        .await;
    if let Err(error) = released {
        tracing::warn!(%error, "could not release an idempotency key");
    }
}

fn kept_headers(head: &HttpResponse<()>) -> serde_json::Value {
    let mut kept = serde_json::Map::new();
    for name in KEPT_HEADERS {
        if let Some(value) = head.headers().get(*name).and_then(|v| v.to_str().ok()) {
            kept.insert(
                (*name).to_owned(),
                serde_json::Value::String(value.to_owned()),
            );
        }
    }
    serde_json::Value::Object(kept)
}

fn replay(req: ServiceRequest, existing: IdempotencyRow, hash: &[u8]) -> ServiceResponse<BoxBody> {
    if existing.request_hash != hash {
        return reject(
            req,
            ApiError::field(roster_domain::FieldError::new(
                "Idempotency-Key",
                "reused",
                "this key was used with a different request",
            )),
        );
    }
    let Some(status) = existing
        .status
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
    else {
        return reject(
            req,
            ApiError::Conflict("a request with this Idempotency-Key is still in progress".into()),
        );
    };
    let mut response = HttpResponse::build(status);
    if let Some(JsonValue(serde_json::Value::Object(headers))) = existing.response_headers {
        for (name, value) in headers {
            if let (Ok(name), Some(Ok(value))) = (
                HeaderName::try_from(name),
                value.as_str().map(HeaderValue::from_str),
            ) {
                response.insert_header((name, value));
            }
        }
    }
    response.insert_header((
        HeaderName::from_static(REPLAYED),
        HeaderValue::from_static("true"),
    ));
    let (http_req, _) = req.into_parts();
    ServiceResponse::new(
        http_req,
        response.body(existing.response_body.unwrap_or_default()),
    )
}

fn reject(req: ServiceRequest, error: ApiError) -> ServiceResponse<BoxBody> {
    let (http_req, _) = req.into_parts();
    ServiceResponse::new(http_req, error.error_response())
}

/// Deletes expired keys at most every ten minutes per process, off the request's path.
fn purge_now_and_then(state: &AppState, expired_before: Ts) {
    let now = expired_before.0.timestamp();
    let last = LAST_PURGE.load(Ordering::Relaxed);
    if now - last < 600
        || LAST_PURGE
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return;
    }
    let db = state.db.clone();
    actix_web::rt::spawn(async move {
        let purged =
            web::block(move || db.write(|conn| idempotency::purge(conn, expired_before))).await;
        if let Ok(Err(error)) = purged {
            tracing::warn!(%error, "could not purge expired idempotency keys");
        }
    });
}
