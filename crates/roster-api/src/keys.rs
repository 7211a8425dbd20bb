//! Signing keys: loaded from the database (so every instance signs and verifies alike),
//! created on first start, and reloaded when a token names a key this instance hasn't seen.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use roster_auth::{
    AccessClaims, AuthError, IssuedToken, OrgScope, SigningKeyPair, TokenIssuer, TokenVerifier,
};
use roster_store::signing_keys::{self, SigningKeyRow};
use roster_store::{Db, StoreError, Ts};

use crate::error::ApiError;
use crate::token_cache::TokenCache;

/// The current issuer and the verifier for every active key.
struct KeyRing {
    issuer: TokenIssuer,
    verifier: TokenVerifier,
    verified: TokenCache,
}

/// Thread-safe access to the key ring.
#[derive(Clone)]
pub struct KeyStore {
    ring: Arc<RwLock<Arc<KeyRing>>>,
    last_reload: Arc<Mutex<Instant>>,
    issuer_name: String,
    ttl: Duration,
}

/// How often an unknown `kid` may trigger a reload (a forged kid must not hammer the database).
const RELOAD_INTERVAL: Duration = Duration::from_secs(10);

impl KeyStore {
    /// Loads the keys, creating the first one if the database has none.
    pub fn load_or_create(db: &Db, issuer_name: &str, ttl: Duration) -> Result<KeyStore, ApiError> {
        let rows = db.write(|conn| {
            let existing = signing_keys::active(conn)?;
            if !existing.is_empty() {
                return Ok::<_, ApiError>(existing);
            }
            let pair = SigningKeyPair::generate().map_err(auth_internal)?;
            signing_keys::insert(
                conn,
                &SigningKeyRow {
                    kid: pair.kid.clone(),
                    private_key: pair.private_pkcs8_der.clone(),
                    public_key: pair.public_key.to_vec(),
                    created_at: Ts::now(),
                    retired_at: None,
                },
            )?;
            tracing::info!(kid = %pair.kid, "created the first token signing key");
            Ok(signing_keys::active(conn)?)
        })?;
        let ring = build_ring(&rows, issuer_name, ttl)?;
        Ok(KeyStore {
            ring: Arc::new(RwLock::new(Arc::new(ring))),
            // As if the last reload were long ago: the first unknown kid may reload at once.
            last_reload: Arc::new(Mutex::new(
                Instant::now()
                    .checked_sub(RELOAD_INTERVAL)
                    .unwrap_or_else(Instant::now),
            )),
            issuer_name: issuer_name.to_owned(),
            ttl,
        })
    }

    fn current(&self) -> Arc<KeyRing> {
        match self.ring.read() {
            Ok(ring) => Arc::clone(&ring),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Issues an access token for a session (a refresh-token family).
    pub fn issue(
        &self,
        user_id: uuid::Uuid,
        session_id: uuid::Uuid,
        org: Option<OrgScope>,
    ) -> Result<IssuedToken, ApiError> {
        self.current()
            .issuer
            .issue_for_session(user_id, session_id, org)
            .map_err(auth_internal)
    }

    pub fn verify(&self, token: &str) -> Result<AccessClaims, AuthError> {
        let ring = self.current();
        let now = chrono::Utc::now().timestamp();
        if let Some(claims) = ring.verified.get(token, now) {
            return Ok(claims);
        }
        let claims = ring.verifier.verify(token)?;
        ring.verified.insert(token, &claims, now);
        Ok(claims)
    }

    /// Claims the right to reload, for a token whose key is unknown here: true at most once per
    /// interval, whoever asks, so neither forged kids nor a burst of requests hammer the database.
    pub fn claim_reload(&self) -> bool {
        let Ok(mut last) = self.last_reload.lock() else {
            return false;
        };
        if last.elapsed() < RELOAD_INTERVAL {
            return false;
        }
        *last = Instant::now();
        true
    }

    /// Re-reads the active keys (blocking: call from the blocking pool).
    pub fn reload(&self, db: &Db) -> Result<(), ApiError> {
        let rows = db.read(|conn| signing_keys::active(conn).map_err(ApiError::from))?;
        let ring = build_ring(&rows, &self.issuer_name, self.ttl)?;
        if let Ok(mut slot) = self.ring.write() {
            *slot = Arc::new(ring);
        }
        Ok(())
    }

    pub fn jwks(&self) -> serde_json::Value {
        self.current().verifier.jwks()
    }
}

fn build_ring(
    rows: &[SigningKeyRow],
    issuer_name: &str,
    ttl: Duration,
) -> Result<KeyRing, ApiError> {
    let pairs = rows
        .iter()
        .map(|row| {
            let public: [u8; 32] = row.public_key.as_slice().try_into().map_err(|_| {
                ApiError::Internal(format!(
                    "signing key {} has a malformed public key",
                    row.kid
                ))
            })?;
            SigningKeyPair::from_parts(row.kid.clone(), row.private_key.clone(), public)
                .map_err(auth_internal)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let newest = pairs
        .first()
        .ok_or_else(|| ApiError::Internal(StoreError::NotFound.to_string()))?;
    let issuer = TokenIssuer::new(newest, issuer_name, ttl).map_err(auth_internal)?;
    let verifier = TokenVerifier::new(
        issuer_name,
        pairs.iter().map(|p| (p.kid.clone(), p.public_key)),
    )
    .map_err(auth_internal)?;
    Ok(KeyRing {
        issuer,
        verifier,
        verified: TokenCache::default(),
    })
}

fn auth_internal(error: AuthError) -> ApiError {
    ApiError::Internal(format!("token keys: {error}"))
}
