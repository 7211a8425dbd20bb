//! `Idempotency-Key` over HTTP: the route middleware that the registry attaches to every POST
//! whose operation takes no secret in its request (`Secrets`), and the header's documentation.
//! What is kept, and for whom, is `roster_core::idempotency`'s business.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, ResponseError};
use std::sync::{Arc, Mutex};

use roster_core::idempotency::{Claim, StoredResponse, Ticket};
use sha2::{Digest, Sha256};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Required;

use crate::error::ApiError;
use crate::extract::json_body::read_body;
use crate::extract::{app_state, authenticate, credential};

pub const HEADER: &str = "idempotency-key";

/// The route middleware: claims the key (after authenticating the caller) and runs the request,
/// whose operation keeps its response in its own transaction (sealed when it holds a secret);
/// or has the handler replay the response of an earlier identical request to a caller that may
/// still make it. Only an operation's result is kept: a refusal or a fault releases the key.
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
    let key = match key {
        Ok(k) if !k.is_empty() && k.len() <= 255 => k,
        _ => {
            return Ok(reject(
                req,
                ApiError::BadRequest("Idempotency-Key must be 1 to 255 visible characters".into()),
            ))
        }
    };
    let state = match app_state(req.request()) {
        Ok(state) => state,
        Err(error) => return Ok(reject(req, error)),
    };
    let principal = match credential(req.request()) {
        Ok(Some(token)) => match authenticate(&state.core, &token).await {
            Ok(principal) => principal,
            Err(error) => return Ok(reject(req, error)),
        },
        Ok(None) => roster_core::Principal::Anonymous,
        Err(error) => return Ok(reject(req, error)),
    };

    let payload = req.take_payload();
    let body = match read_body(req.request(), payload).await {
        Ok(body) => body.freeze(),
        Err(error) => return Ok(reject(req, error)),
    };
    let fingerprint = fingerprint(&req, &body);
    req.set_payload(actix_web::dev::Payload::from(body));

    let pending = match state
        .core
        .claim_idempotent(&principal, &key, fingerprint)
        .await
    {
        Ok(Claim::Claimed(ticket)) => Pending::Claimed(Arc::new(Mutex::new(Some(ticket)))),
        Ok(Claim::Replay(stored)) => Pending::Replay(Arc::new(stored)),
        Err(error) => return Ok(reject(req, error.into())),
    };
    req.extensions_mut().insert(pending.clone());
    let slot = match pending {
        // The handler's `Call` replays it, once the caller proves it may still call the
        // operation; there is nothing to keep.
        Pending::Replay(_) => return Ok(next.call(req).await?.map_into_boxed_body()),
        Pending::Claimed(slot) => slot,
    };
    let outcome = next.call(req).await;
    // The ticket is gone when the operation kept its response in its own transaction. Anything
    // else (a refusal, a fault) changed nothing: there is no result to pin, and a retry runs
    // afresh, so a request refused for a header it lacked, or by a caller who lacked a right
    // they have since been given, is not answered from the past.
    if let Some(ticket) = slot.lock().ok().and_then(|mut s| s.take()) {
        if let Err(error) = state.core.release_idempotent(ticket).await {
            tracing::warn!(%error, "could not release an idempotency key");
        }
    }
    Ok(outcome?.map_into_boxed_body())
}

/// What the middleware leaves in the request for the handler's [`crate::extract::Call`].
#[derive(Clone)]
pub(crate) enum Pending {
    /// The key is this request's: the operation keeps its response in its own transaction,
    /// taking the ticket out of the slot; a request that fails before that leaves it here.
    Claimed(Arc<Mutex<Option<Ticket>>>),
    /// An identical request ran before: its response, for a caller that may still call the
    /// operation.
    Replay(Arc<StoredResponse>),
}

/// What makes two requests the same: method, path and query, and body.
fn fingerprint(req: &ServiceRequest, body: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str());
    hasher.update(b" ");
    hasher.update(req.uri().to_string());
    hasher.update(b"\n");
    hasher.update(body);
    hasher.finalize().to_vec()
}

fn reject(req: ServiceRequest, error: ApiError) -> ServiceResponse<BoxBody> {
    let (http_req, _) = req.into_parts();
    ServiceResponse::new(http_req, error.error_response())
}

/// The `Idempotency-Key` header, as the document shows it on the routes that honour it.
pub fn key_parameter() -> Parameter {
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Retry safely: the same key with the same request within 24 hours replays the \
             first response (with `Idempotent-Replayed: true`) to the same credential, while \
             it may still make the request; the same key with a different request is 422. \
             Only a result is kept: a refusal or a fault changed nothing, and a retry runs \
             afresh. Use a random key, such as a UUID.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255)),
        ))
        .build()
}
