//! `Call<O>`: what a handler needs to run the operation `O` of `roster-core` for the request's
//! caller. Taking it as the first argument also declares which operation a route runs: the
//! route registry reads `O`'s requirement and secrets from the handler's signature.

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{http::header, web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use roster_auth::{bearer_token, AuthError, API_KEY_PREFIX};
use roster_core::{
    ApiKeyCredential, Core, Declared, Operation, Principal, Procedure, RequestMeta, Requirement,
    UserCredential,
};
use roster_domain::{OrganizationId, SessionId, UserId};

use crate::error::ApiError;
use crate::idempotency::Pending;
use crate::reply::Reply;
use crate::request_observer::RequestId;
use crate::state::AppState;

/// The request's caller and context, ready to run operation `O`.
pub struct Call<O> {
    core: Core,
    principal: Principal,
    request: RequestMeta,
    /// What `Idempotency-Key` left for this request, when it carries one.
    idempotency: Option<Pending>,
    operation: PhantomData<fn() -> O>,
}

impl<O: Declared> Call<O> {
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// Whether the caller may call the operation at all (its requirement only; nothing runs):
    /// for work a handler does before the operation, such as asking DNS, that a caller who
    /// may not call it must not make Roster do.
    pub async fn admits(&self, op: &O) -> Result<(), ApiError>
    where
        O: Operation,
    {
        Ok(self
            .core
            .admits(&self.principal, &self.request, op.clone())
            .await?)
    }

    /// Runs the operation (its requirement checked, one transaction, its events).
    pub async fn execute(self, op: O) -> Result<O::Output, ApiError>
    where
        O: Operation,
    {
        if self.idempotency.is_some() {
            return Err(ApiError::Internal(format!(
                "{} honours Idempotency-Key: its handler must answer with Call::respond",
                <O as Declared>::NAME
            )));
        }
        Ok(self
            .core
            .execute(&self.principal, &self.request, op)
            .await?)
    }

    /// Runs the operation and answers what `render` makes of its output. With an
    /// `Idempotency-Key`, the response is kept in the operation's own transaction (so a retry
    /// after a crash replays it rather than doing the work twice), and a retry gets the kept
    /// response only while its caller may still call the operation.
    pub async fn respond<R>(self, op: O, render: R) -> Result<HttpResponse, ApiError>
    where
        O: Operation,
        R: Fn(&O::Output) -> Reply + Send + 'static,
    {
        let (core, principal, request) = (&self.core, &self.principal, &self.request);
        match self.idempotency {
            None => {
                let output = core.execute(principal, request, op).await?;
                Ok(render(&output).into_response())
            }
            Some(Pending::Replay(stored)) => {
                core.admits(principal, request, op).await?;
                Ok(crate::reply::into_response((*stored).clone(), true))
            }
            Some(Pending::Claimed(slot)) => {
                let ticket =
                    slot.lock().ok().and_then(|s| s.clone()).ok_or_else(|| {
                        ApiError::Internal("the idempotency ticket is gone".into())
                    })?;
                let (_, stored) = core
                    .execute_idempotent(principal, request, op, ticket, move |output| {
                        render(output).0
                    })
                    .await?;
                // Kept with the change: the middleware has nothing left to do.
                if let Ok(mut slot) = slot.lock() {
                    slot.take();
                }
                Ok(crate::reply::into_response(stored, false))
            }
        }
    }

    /// Runs a procedure (an operation with password work between its transactions).
    pub async fn perform(self, procedure: O) -> Result<O::Output, ApiError>
    where
        O: Procedure,
    {
        Ok(self
            .core
            .perform(&self.principal, &self.request, procedure)
            .await?)
    }
}

impl<O: Declared> FromRequest for Call<O> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = app_state(req);
        let credential = match credential(req) {
            // OAuth2 clients (Swagger UI among them) send their client credentials to the token
            // endpoint as Basic; an operation anyone may call has no use for them.
            Err(_) if O::REQUIRES == Requirement::Public && !is_bearer(req) => Ok(None),
            other => other,
        };
        let request = request_meta(req);
        let idempotency = req.extensions().get::<Pending>().cloned();
        Box::pin(async move {
            let state = state?;
            let principal = match credential? {
                Some(token) => authenticate(&state.core, &token).await?,
                // Refused before the body is read: the caller must sign in first.
                None if O::REQUIRES != Requirement::Public => {
                    return Err(ApiError::Unauthorized(
                        "this endpoint needs a bearer token".into(),
                    ))
                }
                None => Principal::Anonymous,
            };
            Ok(Call {
                core: state.core.clone(),
                principal,
                request,
                idempotency,
                operation: PhantomData,
            })
        })
    }
}

pub(crate) fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal("AppState missing".into()))
}

/// Where the request came from, for the audit log.
pub(crate) fn request_meta(req: &HttpRequest) -> RequestMeta {
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.trusted_proxies.clone())
        .unwrap_or_default();
    RequestMeta {
        request_id: req.extensions().get::<RequestId>().map(|id| id.0.clone()),
        ip: trusted.client_address(req).map(|ip| ip.to_string()),
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(512).collect()),
    }
}

/// The presented credential, if any: a bearer token, or an `X-Api-Key`.
pub(crate) fn credential(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        return bearer_token(value)
            .map(|token| Some(token.to_owned()))
            .ok_or_else(|| ApiError::Unauthorized("use Authorization: Bearer <token>".into()));
    }
    if let Some(value) = req.headers().get("x-api-key") {
        let key = value
            .to_str()
            .map_err(|_| ApiError::Unauthorized("the X-Api-Key header is not valid text".into()))?
            .trim();
        // X-Api-Key carries API keys only: an access token there is refused, not verified.
        if !key.starts_with(API_KEY_PREFIX) {
            return Err(ApiError::Unauthorized(
                "X-Api-Key takes an API key (rst_…); send access tokens as Authorization: Bearer"
                    .into(),
            ));
        }
        return Ok(Some(key.to_owned()));
    }
    Ok(None)
}

fn is_bearer(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::AUTHORIZATION)
        .is_some_and(|value| bearer_token(value).is_some())
}

/// Verifies the credential itself (no database, unless the signing keys need a reload). Whether
/// it still works (user active, session live) is checked with the operation, in its query.
pub(crate) async fn authenticate(core: &Core, token: &str) -> Result<Principal, ApiError> {
    if token.starts_with(API_KEY_PREFIX) {
        // Whose key it is, and whether it still works, is read with the operation.
        if !roster_auth::looks_like_api_key(token) {
            return Err(ApiError::Unauthorized("malformed API key".into()));
        }
        let mut hash = [0u8; 32];
        hash.copy_from_slice(&roster_auth::hash_secret(token));
        return Ok(Principal::ApiKey(ApiKeyCredential { hash }));
    }
    let keys = core.keys()?;
    let claims = match keys.verify(token) {
        Ok(claims) => claims,
        Err(AuthError::UnknownKey(_)) if keys.claim_reload() => {
            // Perhaps another instance created a key we haven't loaded yet.
            core.reload_keys().await?;
            keys.verify(token).map_err(rejected)?
        }
        Err(error) => return Err(rejected(error)),
    };
    let Some(session) = claims.sid else {
        return Err(ApiError::Unauthorized(
            "the access token belongs to no session".into(),
        ));
    };
    Ok(Principal::User(UserCredential {
        user: UserId::from_uuid(claims.sub),
        session: SessionId::from_uuid(session),
        scope: claims.org_id.map(OrganizationId::from_uuid),
        expires_at: chrono::DateTime::from_timestamp(claims.exp, 0),
    }))
}

fn rejected(error: AuthError) -> ApiError {
    match error {
        AuthError::ExpiredToken => ApiError::Unauthorized("the access token has expired".into()),
        _ => ApiError::Unauthorized("the access token is invalid".into()),
    }
}
