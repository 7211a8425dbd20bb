//! Roster's public keys fetched from its JWKS URL and kept fresh (feature `jwks-fetch`), so that
//! another service verifies Roster's access tokens offline; and `whoami`, to ask Roster about a
//! credential that is not a token (an API key).
//!
//! Keys are fetched when [`RemoteKeys`] is built (a service that cannot verify anything should
//! not start), again every [`refresh_every`](RemoteKeysBuilder::refresh_every) on a thread of
//! their own, and at once for a token signed by a key they do not know yet (Roster rotated its
//! key), at most once per [`min_refetch`](RemoteKeysBuilder::min_refetch) so that forged `kid`s
//! cannot make a service hammer Roster. A failed fetch keeps the keys already held.

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::access_token::{AccessClaims, SharedVerifier, TokenVerifier};
use crate::error::AuthError;

/// Roster's keys, fetched from `<roster>/.well-known/jwks.json`. Cheap to clone; the clones share
/// the keys. Put it in actix-web's app data (as `web::Data<RemoteKeys>`) and `RosterClaims`
/// verifies with it.
#[derive(Clone)]
pub struct RemoteKeys {
    inner: Arc<Remote>,
}

struct Remote {
    roster: String,
    issuer: String,
    verifier: SharedVerifier,
    agent: ureq::Agent,
    /// Held while a fetch runs, so that one runs at a time and those who waited find the keys
    /// it brought.
    fetches: Mutex<Fetches>,
    min_refetch: Duration,
}

struct Fetches {
    /// When the keys were last fetched (or tried).
    last: Instant,
    /// When an unknown `kid` last made them be fetched: the one kind of fetch a client can
    /// cause, and so the one that is rate-limited. The periodic ones do not count, so that a
    /// new key is fetched for at once even just after one.
    last_for_unknown_key: Option<Instant>,
}

/// How [`RemoteKeys`] fetches; [`RemoteKeys::builder`] makes one.
#[derive(Debug, Clone)]
pub struct RemoteKeysBuilder {
    roster: String,
    issuer: String,
    refresh_every: Duration,
    min_refetch: Duration,
    timeout: Duration,
}

impl RemoteKeysBuilder {
    /// The `iss` Roster puts in its tokens (its `--issuer`; `roster` unless set).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = issuer.into();
        self
    }

    /// How often the keys are fetched again in the background (60 s). Roster starts signing with
    /// a rotated key within its `--key-refresh-interval`, and an unknown `kid` is fetched for at
    /// once anyway; this catches retirements.
    pub fn refresh_every(mut self, every: Duration) -> Self {
        self.refresh_every = every;
        self
    }

    /// The least time between two fetches caused by tokens with an unknown `kid` (10 s); the
    /// periodic refreshes do not count.
    pub fn min_refetch(mut self, interval: Duration) -> Self {
        self.min_refetch = interval;
        self
    }

    /// How long one request to Roster may take (10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Fetches the keys now (an error if Roster cannot be reached or answers no JWKS), then
    /// keeps them fresh on a background thread, which ends when the last clone is dropped.
    pub fn start(self) -> Result<RemoteKeys, AuthError> {
        let agent = ureq::AgentBuilder::new().timeout(self.timeout).build();
        let roster = self.roster.trim_end_matches('/').to_owned();
        let verifier = fetch(&agent, &roster, &self.issuer)?;
        let keys = RemoteKeys {
            inner: Arc::new(Remote {
                roster,
                issuer: self.issuer,
                verifier: SharedVerifier::new(verifier),
                agent,
                fetches: Mutex::new(Fetches {
                    last: Instant::now(),
                    last_for_unknown_key: None,
                }),
                min_refetch: self.min_refetch,
            }),
        };
        refresh_in_background(Arc::downgrade(&keys.inner), self.refresh_every);
        Ok(keys)
    }
}

impl RemoteKeys {
    /// Fetches the keys of the Roster at `roster` (its base URL, `https://roster.example`) that
    /// signs with `issuer`, and keeps them fresh with the default intervals.
    pub fn fetch(roster: &str, issuer: &str) -> Result<RemoteKeys, AuthError> {
        RemoteKeys::builder(roster).issuer(issuer).start()
    }

    pub fn builder(roster: &str) -> RemoteKeysBuilder {
        RemoteKeysBuilder {
            roster: roster.to_owned(),
            issuer: "roster".to_owned(),
            refresh_every: Duration::from_secs(60),
            min_refetch: Duration::from_secs(10),
            timeout: Duration::from_secs(10),
        }
    }

    /// Verifies `token`; one signed by a key not known yet makes it fetch the keys first (unless
    /// it did less than `min_refetch` ago). Blocks while it fetches: in async code use
    /// [`verify_known`](Self::verify_known), and this on a blocking thread when that says
    /// [`AuthError::UnknownKey`] (the actix extractor does so).
    pub fn verify(&self, token: &str) -> Result<AccessClaims, AuthError> {
        match self.verify_known(token) {
            Err(AuthError::UnknownKey(kid)) => {
                if self.refetch_for_unknown_key()? {
                    self.verify_known(token)
                } else {
                    Err(AuthError::UnknownKey(kid))
                }
            }
            verified => verified,
        }
    }

    /// Verifies `token` with the keys held now, without any network.
    pub fn verify_known(&self, token: &str) -> Result<AccessClaims, AuthError> {
        self.inner.verifier.verify(token)
    }

    /// Whether a token with an unknown `kid` would make [`verify`](Self::verify) fetch the keys
    /// (cheap; no network).
    pub fn would_refetch(&self) -> bool {
        match self.inner.fetches.try_lock() {
            Ok(fetches) => fetches.may_fetch_for_unknown_key(self.inner.min_refetch),
            // A fetch is running: waiting for it is worth it.
            Err(_) => true,
        }
    }

    /// Fetches the keys now.
    pub fn refresh(&self) -> Result<(), AuthError> {
        let mut fetches = lock(&self.inner.fetches);
        self.inner.refresh(&mut fetches)
    }

    /// The keys as a [`SharedVerifier`] (for code that takes one); it follows the refreshes.
    pub fn verifier(&self) -> SharedVerifier {
        self.inner.verifier.clone()
    }

    /// Asks Roster who `credential` is (`GET /v1/auth/whoami`): how a service checks an API key
    /// (`rst_…`), which, unlike an access token, only Roster can judge. `Ok(None)` when Roster
    /// refuses it (unknown, revoked, expired, or its maker gone); blocks for a round trip.
    pub fn whoami(&self, credential: &str) -> Result<Option<Identity>, AuthError> {
        let url = format!("{}/v1/auth/whoami", self.inner.roster);
        match self
            .inner
            .agent
            .get(&url)
            .set("Authorization", &format!("Bearer {credential}"))
            .call()
        {
            Ok(response) => response
                .into_json::<Identity>()
                .map(Some)
                .map_err(|e| AuthError::Roster(format!("reading {url}: {e}"))),
            Err(ureq::Error::Status(401, _)) => Ok(None),
            Err(error) => Err(AuthError::Roster(format!("GET {url}: {error}"))),
        }
    }

    /// Fetches when the last fetch is old enough (or waits for one running); whether it did.
    fn refetch_for_unknown_key(&self) -> Result<bool, AuthError> {
        let started_waiting = Instant::now();
        let mut fetches = lock(&self.inner.fetches);
        if fetches.last >= started_waiting {
            // Another caller fetched while this one waited for the lock.
            return Ok(true);
        }
        if !fetches.may_fetch_for_unknown_key(self.inner.min_refetch) {
            return Ok(false);
        }
        fetches.last_for_unknown_key = Some(Instant::now());
        self.inner.refresh(&mut fetches)?;
        Ok(true)
    }
}

impl std::fmt::Debug for RemoteKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteKeys")
            .field("roster", &self.inner.roster)
            .field("issuer", &self.inner.issuer)
            .finish_non_exhaustive()
    }
}

impl Remote {
    fn refresh(&self, fetches: &mut MutexGuard<'_, Fetches>) -> Result<(), AuthError> {
        let fetched = fetch(&self.agent, &self.roster, &self.issuer);
        fetches.last = Instant::now();
        self.verifier.replace(fetched?);
        Ok(())
    }
}

impl Fetches {
    fn may_fetch_for_unknown_key(&self, min_refetch: Duration) -> bool {
        self.last_for_unknown_key
            .is_none_or(|at| at.elapsed() >= min_refetch)
    }
}

fn lock(fetches: &Mutex<Fetches>) -> MutexGuard<'_, Fetches> {
    fetches
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn fetch(agent: &ureq::Agent, roster: &str, issuer: &str) -> Result<TokenVerifier, AuthError> {
    let url = format!("{roster}/.well-known/jwks.json");
    let body = agent
        .get(&url)
        .call()
        .map_err(|e| AuthError::Roster(format!("GET {url}: {e}")))?
        .into_string()
        .map_err(|e| AuthError::Roster(format!("reading {url}: {e}")))?;
    TokenVerifier::from_jwks_json(issuer, &body)
}

fn refresh_in_background(remote: Weak<Remote>, every: Duration) {
    let spawned = std::thread::Builder::new()
        .name("roster-jwks".into())
        .spawn(move || loop {
            std::thread::sleep(every);
            let Some(remote) = remote.upgrade() else {
                return;
            };
            let mut fetches = lock(&remote.fetches);
            if let Err(error) = remote.refresh(&mut fetches) {
                tracing::warn!(%error, "could not refresh Roster's keys; keeping those held");
            }
        });
    if let Err(error) = spawned {
        tracing::warn!(%error, "cannot start the thread that refreshes Roster's keys");
    }
}

/// Who a credential is, as Roster's `GET /v1/auth/whoami` answers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Identity {
    /// `api_key` or `user` (an access token).
    pub kind: String,
    /// The user: the token's, or the one the API key acts for.
    pub user: IdentityUser,
    /// The organization the credential is confined to; `None` when it acts account-wide.
    pub organization: Option<IdentityOrganization>,
    /// The role there.
    pub role: Option<String>,
    /// The permissions in force there, now.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// When the credential stops working by itself.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct IdentityUser {
    pub id: Uuid,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct IdentityOrganization {
    pub id: Uuid,
    pub name: String,
}

impl Identity {
    /// Whether the credential grants `permission` in its organization, by the rules of
    /// [`AccessClaims::grants`].
    pub fn grants(&self, permission: &str) -> bool {
        self.organization.is_some() && crate::access_token::grants(&self.permissions, permission)
    }
}
