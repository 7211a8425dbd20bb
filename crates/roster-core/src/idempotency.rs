//! `Idempotency-Key`: the first response to a request, kept for 24 hours so that a retry with
//! the same key and request gets it again instead of doing the work twice.
//!
//! Keys belong to the caller who sent them, and the caller's credential must still work for
//! anything to be claimed or replayed. Nothing here holds a secret in plaintext: the client's
//! key is stored only as a hash (with its scope), and a response that carries a secret (a new
//! API key, an invitation token) is stored sealed with XChaCha20-Poly1305 under a key derived
//! from the client's idempotency key (and the server's key-encryption key, when there is one):
//! only a client presenting that key again can have it opened. Use random keys (UUIDs).

use hkdf::Hkdf;
use roster_auth::KeyEncryptionKey;
use roster_store::idempotency::{self, Claim as StoredClaim, IdempotencyRow};
use roster_store::{DbConn, JsonValue, Ts};
use sha2::{Digest, Sha256};

use crate::access::load_caller;
use crate::{
    Caller, Conflict, Context, Core, CoreError, Declared, Operation, Principal, RequestMeta,
};

/// A claim whose request never finished (the process died, the client went away) is abandoned
/// after this long, so a retry can run instead of answering 409 for a day.
const ABANDONED_AFTER_SECONDS: i64 = 60;
/// How long a key is remembered (expired keys are purged by a background job).
pub(crate) const LIFETIME_HOURS: i64 = 24;

/// A response as it is kept and replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    /// The headers worth replaying (content type, location, ETag).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What claiming a key found.
#[derive(Debug)]
pub enum Claim {
    /// The key is this request's: run it, then [`Core::complete_idempotent`] or
    /// [`Core::release_idempotent`].
    Claimed(Ticket),
    /// The same request ran before: its response.
    Replay(StoredResponse),
}

/// A claimed key, to complete or release.
#[derive(Clone)]
pub struct Ticket {
    scope: String,
    digest: String,
    /// The client's key, kept in memory only, to seal a secret-bearing response.
    key: String,
    /// When the claim was made: it fences a claim taken over by a retry (see [`keep`]).
    claimed_at: Ts,
}

impl std::fmt::Debug for Ticket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ticket")
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl Core {
    /// Claims `key` for `principal`'s request with this `fingerprint` (a hash of the request),
    /// or finds the response of an earlier identical request. The caller's credential is
    /// checked first: a signed-out session or a disabled user gets 401, never a stored response.
    /// The same key with another request is 422; one still running is 409.
    pub async fn claim_idempotent(
        &self,
        principal: &Principal,
        key: &str,
        fingerprint: Vec<u8>,
    ) -> Result<Claim, CoreError> {
        if matches!(principal, Principal::Anonymous | Principal::Operator) {
            return Err(CoreError::Unauthenticated(
                "this endpoint needs a bearer token".into(),
            ));
        }
        let encryption = self.keys()?.encryption_key().cloned();
        let db = self.db().clone();
        let now = Ts::now();
        let expired_before = Ts::from_datetime(now.0 - chrono::Duration::hours(LIFETIME_HOURS));
        let abandoned_before =
            Ts::from_datetime(now.0 - chrono::Duration::seconds(ABANDONED_AFTER_SECONDS));
        let (principal, key, request_hash) =
            (principal.clone(), key.to_owned(), fingerprint.clone());
        let (claimed, ticket) = self
            .blocking(move || {
                db.write(|conn| {
                    let caller = load_caller(conn, &principal, now)?;
                    let scope = scope_of(&caller);
                    let ticket = Ticket {
                        digest: digest(&scope, &key),
                        scope,
                        key: key.clone(),
                        claimed_at: now,
                    };
                    let row = IdempotencyRow {
                        scope: ticket.scope.clone(),
                        key: ticket.digest.clone(),
                        request_hash: request_hash.clone(),
                        status: None,
                        response_headers: None,
                        response_body: None,
                        created_at: now,
                    };
                    let claimed = idempotency::claim(conn, &row, expired_before, abandoned_before)?;
                    Ok::<_, CoreError>((claimed, ticket))
                })
            })
            .await?;
        let existing = match claimed {
            StoredClaim::Claimed => return Ok(Claim::Claimed(ticket)),
            StoredClaim::Existing(existing) => existing,
        };
        if existing.request_hash != fingerprint {
            return Err(key_reused());
        }
        let Some(status) = existing.status.and_then(|s| u16::try_from(s).ok()) else {
            return Err(CoreError::Conflict(Conflict::InFlight));
        };
        let body = existing.response_body.unwrap_or_default();
        let body = if roster_auth::is_sealed(&body) {
            sealing_key(&ticket, encryption.as_ref())?
                .open(&body, ticket.digest.as_bytes())
                .map_err(|_| CoreError::Internal("a stored response does not open".into()))?
        } else {
            body
        };
        let headers = match existing.response_headers {
            Some(JsonValue(serde_json::Value::Object(map))) => map
                .into_iter()
                .filter_map(|(name, value)| value.as_str().map(|v| (name, v.to_owned())))
                .collect(),
            _ => Vec::new(),
        };
        Ok(Claim::Replay(StoredResponse {
            status,
            headers,
            body,
        }))
    }

    /// Runs `op` for the request that claimed `ticket`, and keeps its response, `render`ed from
    /// the output, in the operation's own transaction: the change and the response that tells
    /// of it commit together, so a retry after a crash replays it instead of doing it twice.
    /// The response is sealed when the operation declares a secret in it.
    pub async fn execute_idempotent<O, R>(
        &self,
        principal: &Principal,
        request: &RequestMeta,
        op: O,
        ticket: Ticket,
        render: R,
    ) -> Result<(O::Output, StoredResponse), CoreError>
    where
        O: Operation,
        R: Fn(&O::Output) -> StoredResponse + Send + 'static,
    {
        let encryption = self.keys()?.encryption_key().cloned();
        let core = self.clone();
        let (principal, request) = (principal.clone(), request.clone());
        self.blocking(move || {
            let _span = tracing::debug_span!("operation", name = <O as Declared>::NAME).entered();
            core.db().write(|conn| {
                let output = Context::new(conn, &core, &principal, &request).run(op.clone())?;
                let response = render(&output);
                let sealed = O::SECRETS.in_response;
                keep(conn, &ticket, &response, sealed, encryption.as_ref())?;
                Ok((output, response))
            })
        })
        .await
    }

    /// Whether `principal` may still call `op` as it stands now: its requirement is checked
    /// exactly as when it runs (the organization's too), and nothing is done. A stored response
    /// is replayed only to a caller that may still do what it tells of.
    pub async fn admits<O: Operation>(
        &self,
        principal: &Principal,
        request: &RequestMeta,
        op: O,
    ) -> Result<(), CoreError> {
        let core = self.clone();
        let (principal, request) = (principal.clone(), request.clone());
        let checked = self
            .blocking(move || {
                core.db().write(|conn| {
                    let mut cx = Context::new(conn, &core, &principal, &request);
                    cx.admit_only();
                    cx.run(op.clone()).map(|_| ())
                })
            })
            .await;
        match checked {
            // Admitted: the check stops the operation there, and its transaction rolls back.
            Err(CoreError::Admitted) => Ok(()),
            Ok(()) => Err(CoreError::Internal(format!(
                "{} ran to its end in an admission check",
                <O as Declared>::NAME
            ))),
            Err(other) => Err(other),
        }
    }

    /// Gives a claimed key up: the request ended without its operation changing anything (a
    /// refusal, a fault), so there is no result to keep and a retry runs afresh.
    pub async fn release_idempotent(&self, ticket: Ticket) -> Result<(), CoreError> {
        let db = self.db().clone();
        self.blocking(move || {
            db.write(|conn| {
                Ok::<_, CoreError>(idempotency::release(
                    conn,
                    &ticket.scope,
                    &ticket.digest,
                    ticket.claimed_at,
                )?)
            })
        })
        .await
    }
}

/// Whose a key is: the credential that sent it, with the reach it had. A user's key belongs to
/// the user (signing in again, they may still retry) together with the organization their
/// token was scoped to, if any; an API key's to that key. A replay goes to the same credential
/// with the same scope, never another.
fn scope_of(caller: &Caller) -> String {
    match caller.api_key_id() {
        Some(key) => format!("api_key:{key}"),
        None => {
            let reach = caller
                .scope()
                .map_or_else(|| "-".to_owned(), |org| org.to_string());
            format!("user:{}/scope:{reach}", caller.id())
        }
    }
}

/// Stores `response` as the claimed key's, on `conn` (sealed when `sealed`). When the claim is
/// no longer this request's (it ran so long that a retry took the key over), the operation
/// must not commit: 409, and its transaction rolls back.
fn keep(
    conn: &mut DbConn,
    ticket: &Ticket,
    response: &StoredResponse,
    sealed: bool,
    encryption: Option<&KeyEncryptionKey>,
) -> Result<(), CoreError> {
    let body = if sealed {
        sealing_key(ticket, encryption)?
            .seal(&response.body, ticket.digest.as_bytes())
            .map_err(|e| CoreError::Internal(e.to_string()))?
    } else {
        response.body.clone()
    };
    let headers: serde_json::Map<String, serde_json::Value> = response
        .headers
        .iter()
        .map(|(name, value)| (name.clone(), serde_json::Value::String(value.clone())))
        .collect();
    let kept = idempotency::complete(
        conn,
        &ticket.scope,
        &ticket.digest,
        ticket.claimed_at,
        i32::from(response.status),
        JsonValue(serde_json::Value::Object(headers)),
        body,
    )?;
    if kept {
        Ok(())
    } else {
        Err(CoreError::Conflict(Conflict::InFlight))
    }
}

/// How a key is stored: a hash of the caller's scope and the client's key.
fn digest(scope: &str, key: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(scope.as_bytes());
    hasher.update([0]);
    hasher.update(key.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The key that seals a stored response: derived (HKDF-SHA256) from the client's idempotency
/// key, salted with the server's key-encryption key when there is one.
fn sealing_key(
    ticket: &Ticket,
    encryption: Option<&KeyEncryptionKey>,
) -> Result<KeyEncryptionKey, CoreError> {
    let salt = encryption.map(KeyEncryptionKey::to_bytes);
    let hkdf = Hkdf::<Sha256>::new(salt.as_ref().map(|s| s.as_slice()), ticket.key.as_bytes());
    let mut okm = [0u8; 32];
    hkdf.expand(
        format!("roster idempotent response v1 {}", ticket.scope).as_bytes(),
        &mut okm,
    )
    .map_err(|e| CoreError::Internal(e.to_string()))?;
    Ok(KeyEncryptionKey::from_bytes(okm))
}

/// 422: the key came with a different request before (another body, path or caller).
pub fn key_reused() -> CoreError {
    CoreError::field(roster_domain::FieldError::new(
        "Idempotency-Key",
        "reused",
        "this key was used with a different request",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(key: &str) -> Ticket {
        let scope = "user:0193a5c2-0000-7000-8000-000000000000".to_owned();
        Ticket {
            digest: digest(&scope, key),
            scope,
            key: key.to_owned(),
            claimed_at: Ts::now(),
        }
    }

    #[test]
    fn keys_are_stored_as_digests_of_scope_and_key() {
        let a = ticket("retry-1");
        assert_eq!(a.digest.len(), 64);
        assert!(!a.digest.contains("retry-1"));
        assert_ne!(a.digest, ticket("retry-2").digest);
        assert_ne!(digest("user:a", "k"), digest("user:b", "k"));
    }

    #[test]
    fn a_sealed_response_opens_only_with_the_same_idempotency_key() {
        let secret = br#"{"key": "rst_secret"}"#;
        let mine = ticket("0b9e6f0c-5d7e-4c55-9d7e-6b2f8e9a1c3d");
        let sealed = sealing_key(&mine, None)
            .unwrap()
            .seal(secret, mine.digest.as_bytes())
            .unwrap();
        assert!(!sealed.windows(10).any(|w| w == b"rst_secret"));
        let opened = sealing_key(&mine, None)
            .unwrap()
            .open(&sealed, mine.digest.as_bytes())
            .unwrap();
        assert_eq!(opened, secret);
        let other = ticket("another key");
        assert!(sealing_key(&other, None)
            .unwrap()
            .open(&sealed, mine.digest.as_bytes())
            .is_err());
        let kek = KeyEncryptionKey::generate();
        assert!(sealing_key(&mine, Some(&kek))
            .unwrap()
            .open(&sealed, mine.digest.as_bytes())
            .is_err());
    }
}
