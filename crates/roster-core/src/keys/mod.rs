//! Signing keys: loaded from the database (so every instance signs and verifies alike), created
//! on first start, sealed at rest with the key-encryption key when there is one, rotated by
//! `roster keys rotate`, and retired once no live token can need them.
//!
//! A key stops signing when a newer one exists, and keeps verifying for one access-token
//! lifetime after that (plus one refresh interval, during which another instance may still have
//! signed with it); then it is retired and its private half erased. Instances refresh their keys
//! every `--key-refresh-interval`, and at once when a token names a key they have not seen.

pub(crate) mod events;
mod rotation;
mod token_cache;

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use roster_auth::{
    is_sealed, AccessClaims, AuthError, IssuedToken, KeyEncryptionKey, OrgScope, SigningKeyPair,
    TokenIssuer, TokenVerifier,
};
use roster_domain::{SessionId, UserId};
use roster_store::signing_keys::{self, SigningKeyRow};
use roster_store::{Db, DbConn, StoreError, Ts};

use crate::CoreError;
pub use rotation::{RetireReplacedKeys, RotateSigningKey};
use token_cache::TokenCache;

/// What the key store needs to know.
#[derive(Clone, Debug)]
pub struct KeySettings {
    /// The `iss` of the tokens.
    pub issuer: String,
    /// How long access tokens live: how long a key verifies after it stopped signing.
    pub access_token_ttl: Duration,
    /// How often instances look for new and retired keys.
    pub refresh_interval: Duration,
    /// Seals private keys at rest when given.
    pub encryption_key: Option<KeyEncryptionKey>,
}

impl KeySettings {
    /// How long a key goes on verifying after a newer key replaced it (and after the last
    /// instance signed with it).
    pub fn overlap(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.access_token_ttl + self.refresh_interval)
            .unwrap_or(chrono::Duration::MAX)
    }
}

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
    settings: Arc<KeySettings>,
}

/// How often an unknown `kid` may trigger a reload (a forged kid must not hammer the database).
const RELOAD_INTERVAL: Duration = Duration::from_secs(10);

impl KeyStore {
    /// Loads the keys, creating the first one if the database has none, sealing plaintext ones
    /// when a key-encryption key is configured, and retiring those no token can need any more.
    pub fn load_or_create(db: &Db, settings: KeySettings) -> Result<KeyStore, CoreError> {
        let rows = db.write(|conn| {
            if signing_keys::active(conn)?.is_empty() {
                let kid = insert_new_key(conn, settings.encryption_key.as_ref())?;
                tracing::info!(%kid, "created the first token signing key");
            }
            if let Some(kek) = &settings.encryption_key {
                seal_plaintext_keys(conn, kek)?;
            }
            // Replaced keys are retired by the periodic refresh ([`RetireReplacedKeys`]).
            Ok::<_, CoreError>(signing_keys::active(conn)?)
        })?;
        let ring = build_ring(&rows, &settings)?;
        Ok(KeyStore {
            ring: Arc::new(RwLock::new(Arc::new(ring))),
            // As if the last reload were long ago: the first unknown kid may reload at once.
            last_reload: Arc::new(Mutex::new(
                Instant::now()
                    .checked_sub(RELOAD_INTERVAL)
                    .unwrap_or_else(Instant::now),
            )),
            settings: Arc::new(settings),
        })
    }

    pub fn refresh_interval(&self) -> Duration {
        self.settings.refresh_interval
    }

    /// The key-encryption key, when the operator configured one.
    pub fn encryption_key(&self) -> Option<&KeyEncryptionKey> {
        self.settings.encryption_key.as_ref()
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
        user: UserId,
        session: SessionId,
        org: Option<OrgScope>,
    ) -> Result<IssuedToken, CoreError> {
        self.current()
            .issuer
            .issue_for_session(user.as_uuid(), session.as_uuid(), org)
            .map_err(auth_internal)
    }

    pub fn verify(&self, token: &str) -> Result<AccessClaims, AuthError> {
        let ring = self.current();
        let now = chrono::Utc::now().timestamp();
        if let Some(claims) = ring.verified.get(token, now) {
            return Ok(claims);
        }
        let claims = ring.verifier.verify(token)?;
        ring.verified.insert(token, &claims);
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
    pub fn reload(&self, db: &Db) -> Result<(), CoreError> {
        let rows = db.read(|conn| signing_keys::active(conn).map_err(CoreError::from))?;
        self.replace_ring(&rows)
    }

    /// The key this instance signs with.
    pub fn signing_kid(&self) -> String {
        self.current().issuer.kid().to_owned()
    }

    /// How long a replaced key keeps verifying (see [`KeySettings::overlap`]).
    pub fn overlap(&self) -> chrono::Duration {
        self.settings.overlap()
    }

    /// Re-reads the active keys when they changed (a rotation made elsewhere, a retirement),
    /// so that a new key signs here too (blocking: call from the blocking pool). When the
    /// keys cannot be loaded (one this instance cannot open), it keeps signing with the key it
    /// has, which its periodic refresh keeps from being retired.
    pub fn refresh(&self, db: &Db) -> Result<(), CoreError> {
        let rows = db.read(|conn| signing_keys::active(conn).map_err(CoreError::from))?;
        let current = self.current();
        let kids: Vec<&str> = rows.iter().map(|row| row.kid.as_str()).collect();
        if kids.first().copied() != Some(current.issuer.kid())
            || kids.len() != current.verifier.kids().len()
        {
            self.replace_ring(&rows)?;
        }
        Ok(())
    }

    fn replace_ring(&self, rows: &[SigningKeyRow]) -> Result<(), CoreError> {
        let ring = build_ring(rows, &self.settings)?;
        if let Ok(mut slot) = self.ring.write() {
            *slot = Arc::new(ring);
        }
        Ok(())
    }

    pub fn jwks(&self) -> serde_json::Value {
        self.current().verifier.jwks()
    }
}

/// `roster keys rotate`: runs [`RotateSigningKey`] as the operator; the new key's id.
pub fn rotate(db: &Db, encryption_key: Option<&KeyEncryptionKey>) -> Result<String, CoreError> {
    let core = crate::Core::for_tools(db.clone(), crate::Settings::default())?;
    let rotate = RotateSigningKey {
        encryption_key: encryption_key.cloned(),
    };
    core.execute_blocking(
        &crate::Principal::Operator,
        &crate::RequestMeta::default(),
        rotate,
    )
}

/// Where a key stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// Signs new tokens (and verifies).
    Signing,
    /// Replaced; verifies tokens it signed until this time, then is retired.
    Verifying {
        until: DateTime<Utc>,
    },
    Retired {
        at: DateTime<Utc>,
    },
}

/// One line of `roster keys list`.
#[derive(Debug, Clone)]
pub struct KeyInfo {
    pub kid: String,
    pub created_at: DateTime<Utc>,
    pub state: KeyState,
    /// The private half is sealed at rest.
    pub encrypted: bool,
}

/// Every key with its state, newest first.
pub fn list(db: &Db, settings: &KeySettings) -> Result<Vec<KeyInfo>, CoreError> {
    let rows = db.read(|conn| signing_keys::all(conn).map_err(CoreError::from))?;
    let newest_active = rows.iter().find(|row| row.retired_at.is_none());
    Ok(rows
        .iter()
        .map(|row| {
            let state = match (row.retired_at, newest_active) {
                (Some(at), _) => KeyState::Retired { at: at.0 },
                (None, Some(newest)) if newest.kid == row.kid => KeyState::Signing,
                (None, Some(newest)) => KeyState::Verifying {
                    until: newest.created_at.0 + settings.overlap(),
                },
                (None, None) => KeyState::Signing,
            };
            KeyInfo {
                kid: row.kid.clone(),
                created_at: row.created_at.0,
                state,
                encrypted: is_sealed(&row.private_key),
            }
        })
        .collect())
}

pub(super) fn insert_new_key(
    conn: &mut DbConn,
    kek: Option<&KeyEncryptionKey>,
) -> Result<String, CoreError> {
    let pair = SigningKeyPair::generate().map_err(auth_internal)?;
    let private_key = match kek {
        Some(kek) => kek
            .seal(&pair.private_pkcs8_der, pair.kid.as_bytes())
            .map_err(auth_internal)?,
        None => pair.private_pkcs8_der.clone(),
    };
    signing_keys::insert(
        conn,
        &SigningKeyRow {
            kid: pair.kid.clone(),
            private_key,
            public_key: pair.public_key.to_vec(),
            created_at: Ts::now(),
            retired_at: None,
            last_signed_at: None,
        },
    )?;
    Ok(pair.kid)
}

/// Seals the private halves still stored in plaintext (keys made before a key-encryption key
/// was configured).
fn seal_plaintext_keys(conn: &mut DbConn, kek: &KeyEncryptionKey) -> Result<(), CoreError> {
    let mut sealed = 0;
    for row in signing_keys::active(conn)? {
        if !is_sealed(&row.private_key) {
            let private_key = kek
                .seal(&row.private_key, row.kid.as_bytes())
                .map_err(auth_internal)?;
            signing_keys::set_private_key(conn, &row.kid, &private_key)?;
            sealed += 1;
        }
    }
    if sealed > 0 {
        tracing::info!(keys = sealed, "encrypted the signing keys at rest");
    }
    Ok(())
}

fn build_ring(rows: &[SigningKeyRow], settings: &KeySettings) -> Result<KeyRing, CoreError> {
    let pairs = rows
        .iter()
        .map(|row| key_pair(row, settings.encryption_key.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    let newest = pairs
        .first()
        .ok_or_else(|| CoreError::Internal(StoreError::NotFound.to_string()))?;
    let issuer = TokenIssuer::new(newest, &settings.issuer, settings.access_token_ttl)
        .map_err(auth_internal)?;
    let verifier = TokenVerifier::new(
        &settings.issuer,
        pairs.iter().map(|p| (p.kid.clone(), p.public_key)),
    )
    .map_err(auth_internal)?;
    Ok(KeyRing {
        issuer,
        verifier,
        verified: TokenCache::default(),
    })
}

/// The usable key pair of a row, opening a sealed private half with `kek`.
pub(super) fn key_pair(
    row: &SigningKeyRow,
    kek: Option<&KeyEncryptionKey>,
) -> Result<SigningKeyPair, CoreError> {
    let public: [u8; 32] = row.public_key.as_slice().try_into().map_err(|_| {
        CoreError::Internal(format!(
            "signing key {} has a malformed public key",
            row.kid
        ))
    })?;
    let private = if is_sealed(&row.private_key) {
        let kek = kek.ok_or_else(|| {
            CoreError::Internal(format!(
                "signing key {} is encrypted: set ROSTER_KEY_ENCRYPTION_KEY",
                row.kid
            ))
        })?;
        kek.open(&row.private_key, row.kid.as_bytes())
            .map_err(|_| {
                CoreError::Internal(format!(
                    "ROSTER_KEY_ENCRYPTION_KEY does not decrypt signing key {}: is it the key the \
                 signing keys were encrypted with?",
                    row.kid
                ))
            })?
    } else {
        row.private_key.clone()
    };
    SigningKeyPair::from_parts(row.kid.clone(), private, public).map_err(auth_internal)
}

fn auth_internal(error: AuthError) -> CoreError {
    CoreError::Internal(format!("token keys: {error}"))
}
