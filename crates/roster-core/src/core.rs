//! `Core`: the database, the token keys, the password threads and the server's policies, and
//! the way every operation is run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use roster_store::{run_migrations, Db, PoolOptions, StoreError};
use tokio::sync::{Notify, Semaphore};

use crate::keys::{KeySettings, KeyStore};
use crate::observer::{Observer, Unobserved};
use crate::passwords::{PasswordPool, QUEUE};
use crate::read_cache::{CacheStats, ReadCache, Trust};
use crate::{Context, CoreError, Declared, Operation, Principal, Procedure, RequestMeta, Settings};

/// Shared and cheap to clone; one per process.
#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    /// The signing keys; a core started for a command-line tool has none.
    keys: Option<KeyStore>,
    passwords: PasswordPool,
    settings: Settings,
    /// One permit per pooled connection. Operations wait for a permit here, in FIFO order and
    /// without holding a thread, instead of parking blocking threads on the pool's condvar:
    /// fewer threads, fewer context switches, and a fair queue (a shorter p99).
    db_slots: Arc<Semaphore>,
    /// How many are waiting for a slot right now.
    db_slot_waiters: AtomicUsize,
    /// Who measures the core's work (set once, by the server).
    observer: OnceLock<Arc<dyn Observer>>,
    /// This process among the instances sharing the database: the holder of its claims.
    instance: uuid::Uuid,
    /// Rung after a write commits: the sequencer has events to number.
    events_written: Notify,
    /// Rung when deliveries become due: the dispatcher has work.
    deliveries_due: Notify,
    /// Rung after a write that queued mail commits: the mail sender has work.
    mail_due: Notify,
    /// The rows behind the hottest reads, kept current by the database's change feed.
    cache: Arc<ReadCache>,
    /// Seals the tokens of this instance's queued mail when the server has no key-encryption
    /// key: it lives in memory only, so the database alone never reveals them.
    mail_key: roster_auth::KeyEncryptionKey,
}

/// The database pool and its queue as they stand, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatabaseState {
    /// Connections open, and of those idle.
    pub connections: u32,
    pub idle_connections: u32,
    /// The most connections the pool opens (and slots operations wait for).
    pub max_connections: u32,
    /// Slots held by database work right now.
    pub slots_in_use: usize,
    /// Pieces of database work waiting for a slot right now.
    pub slots_waited_for: usize,
}

/// How long an operation waits for a database slot before it is refused as unavailable; the
/// pool's own connection timeout, so a slow database sheds load instead of queueing without end.
const DB_WAIT: Duration = roster_store::DEFAULT_CONNECTION_TIMEOUT;

/// Opens the database and applies pending migrations (`roster serve` and `roster migrate`).
pub fn open_database(url: &str, pool_size: u32) -> Result<Db, CoreError> {
    let options = PoolOptions {
        max_size: pool_size,
        ..PoolOptions::default()
    };
    let db = Db::new(url, &options).map_err(|e| store_setup(url, e))?;
    let applied = run_migrations(&db).map_err(|e| store_setup(url, e))?;
    for version in &applied {
        tracing::info!(%version, "applied migration");
    }
    Ok(db)
}

/// Setting up is not a request: say what the database said, and which database it was.
fn store_setup(url: &str, error: StoreError) -> CoreError {
    let url = roster_store::redact_url(url);
    CoreError::Internal(match error {
        StoreError::Unavailable(cause) => format!("cannot connect to the database {url}: {cause}"),
        StoreError::Migration(cause) => format!("cannot migrate the database {url}: {cause}"),
        other => other.to_string(),
    })
}

impl Core {
    /// Loads (or creates) the signing keys and starts the password threads, one per core.
    pub fn start(db: Db, keys: KeySettings, settings: Settings) -> Result<Core, CoreError> {
        let keys = KeyStore::load_or_create(&db, keys)?;
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let cache = Arc::new(ReadCache::new(
            settings.read_cache_bytes,
            Trust::confirmed(),
        ));
        if settings.read_cache_bytes > 0 {
            crate::read_cache::start_following(&db, &cache).map_err(|e| {
                CoreError::Internal(format!("cannot start the read cache's listener: {e}"))
            })?;
        }
        Core::assemble(db, Some(keys), settings, cores, cache)
    }

    /// A core for command-line tools (`roster admin create`): no signing keys (nothing it does
    /// issues tokens), one password thread.
    /// No read cache either: a command reads fresh rows.
    pub fn for_tools(db: Db, settings: Settings) -> Result<Core, CoreError> {
        Core::assemble(db, None, settings, 1, Arc::new(ReadCache::none()))
    }

    fn assemble(
        db: Db,
        keys: Option<KeyStore>,
        settings: Settings,
        password_threads: usize,
        cache: Arc<ReadCache>,
    ) -> Result<Core, CoreError> {
        let passwords = PasswordPool::start(password_threads, QUEUE)
            .map_err(|e| CoreError::Internal(format!("cannot start the password threads: {e}")))?;
        let slots = db.max_connections().max(1) as usize;
        Ok(Core {
            inner: Arc::new(Inner {
                db,
                keys,
                passwords,
                settings,
                db_slots: Arc::new(Semaphore::new(slots)),
                db_slot_waiters: AtomicUsize::new(0),
                observer: OnceLock::new(),
                instance: uuid::Uuid::now_v7(),
                events_written: Notify::new(),
                deliveries_due: Notify::new(),
                mail_due: Notify::new(),
                mail_key: roster_auth::KeyEncryptionKey::generate(),
                cache,
            }),
        })
    }

    /// Reports the core's work to `observer` from now on. Only the first call counts (one
    /// process has one set of metrics); it says whether this one did.
    pub fn observe_with(&self, observer: Arc<dyn Observer>) -> bool {
        self.inner.observer.set(observer).is_ok()
    }

    /// This instance's id: what its claims on shared work are held under.
    pub fn instance(&self) -> uuid::Uuid {
        self.inner.instance
    }

    pub(crate) fn events_written(&self) -> &Notify {
        &self.inner.events_written
    }

    pub(crate) fn mail_key(&self) -> &roster_auth::KeyEncryptionKey {
        &self.inner.mail_key
    }

    pub(crate) fn mail_due(&self) -> &Notify {
        &self.inner.mail_due
    }

    pub(crate) fn deliveries_due(&self) -> &Notify {
        &self.inner.deliveries_due
    }

    pub(crate) fn cache(&self) -> &ReadCache {
        &self.inner.cache
    }

    /// How the read cache is doing (for `/metrics`).
    pub fn cache_stats(&self) -> CacheStats {
        self.inner.cache.stats()
    }

    /// The same, for a reader that must not keep the core alive (a metrics collector the core's
    /// own observer holds): nothing once the core is gone.
    pub fn cache_stats_source(&self) -> Box<dyn Fn() -> CacheStats + Send + Sync> {
        let cache = Arc::downgrade(&self.inner.cache);
        Box::new(move || cache.upgrade().map(|c| c.stats()).unwrap_or_default())
    }

    pub(crate) fn observer(&self) -> &dyn Observer {
        static UNOBSERVED: Unobserved = Unobserved;
        match self.inner.observer.get() {
            Some(observer) => observer.as_ref(),
            None => &UNOBSERVED,
        }
    }

    /// The database. Only operations reach it (through [`Core::execute`], which checks their
    /// requirement): nothing outside this crate gets a connection past that check.
    pub(crate) fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The signing keys (a core for command-line tools has none).
    pub fn keys(&self) -> Result<&KeyStore, CoreError> {
        self.inner
            .keys
            .as_ref()
            .ok_or_else(|| CoreError::Internal("this core was started without signing keys".into()))
    }

    pub fn passwords(&self) -> &PasswordPool {
        &self.inner.passwords
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// Runs an operation for `principal`: its requirement is checked, then it runs in one
    /// transaction (when it writes) with the events it records, on a blocking thread.
    pub async fn execute<O: Operation>(
        &self,
        principal: &Principal,
        request: &RequestMeta,
        op: O,
    ) -> Result<O::Output, CoreError> {
        if O::KIND == crate::Kind::Read && self.cache().usable() {
            let memory = crate::Memory::new(self.cache(), principal, O::REQUIRES);
            if let Some(answer) = op.answer_from_memory(&memory) {
                return answer;
            }
        }
        let core = self.clone();
        let (principal, request) = (principal.clone(), request.clone());
        self.blocking(move || core.execute_blocking(&principal, &request, op))
            .await
    }

    /// [`execute`](Self::execute) on the calling thread (for command-line tools, or work
    /// already on a blocking thread).
    pub fn execute_blocking<O: Operation>(
        &self,
        principal: &Principal,
        request: &RequestMeta,
        op: O,
    ) -> Result<O::Output, CoreError> {
        let _span = tracing::debug_span!("operation", name = <O as Declared>::NAME).entered();
        let started = Instant::now();
        let outcome = match O::KIND {
            crate::Kind::Read => self
                .db()
                .read(|conn| Context::new(conn, self, principal, request).run(op)),
            crate::Kind::Write => {
                let mut queued_mail = false;
                let outcome = self.db().write(|conn| {
                    let mut cx = Context::new(conn, self, principal, request);
                    let output = cx.run(op.clone())?;
                    queued_mail = cx.queued_mail();
                    Ok(output)
                });
                // Committed: the sequencer numbers its events (a permit waits if it is busy),
                // and the mail it queued goes.
                if outcome.is_ok() {
                    self.events_written().notify_one();
                    if queued_mail {
                        self.mail_due().notify_one();
                    }
                }
                outcome
            }
        };
        self.observer()
            .operation_database_time(<O as Declared>::NAME, started.elapsed());
        outcome
    }

    /// Runs a procedure (an operation in steps, with password work between its transactions),
    /// once its requirement has been checked; its inner operations check theirs again.
    pub async fn perform<P: Procedure>(
        &self,
        principal: &Principal,
        request: &RequestMeta,
        procedure: P,
    ) -> Result<P::Output, CoreError> {
        // A procedure names no organization before its steps run, so an organization
        // requirement could not be checked here: declaring one does not compile.
        const {
            assert!(
                !P::REQUIRES.names_organization(),
                "a procedure cannot require a permission in an organization; its steps can"
            )
        };
        if P::REQUIRES != crate::Requirement::Public {
            let (db, who) = (self.db().clone(), principal.clone());
            self.blocking(move || {
                db.read(|conn| {
                    crate::access::admit(conn, &who, P::REQUIRES, roster_store::Ts::now())
                        .map(|_| ())
                })
            })
            .await?;
        }
        procedure.perform(self, principal, request).await
    }

    /// Runs blocking database work off the async workers, after waiting (fairly, and at most
    /// the pool's timeout) for a database slot.
    pub async fn blocking<T, F>(&self, work: F) -> Result<T, CoreError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, CoreError> + Send + 'static,
    {
        // The permit moves into the blocking task and is released the moment the database work
        // ends, not when this worker next gets round to polling the result.
        let waiting = Instant::now();
        self.inner.db_slot_waiters.fetch_add(1, Ordering::Relaxed);
        let slot =
            tokio::time::timeout(DB_WAIT, Arc::clone(&self.inner.db_slots).acquire_owned()).await;
        self.inner.db_slot_waiters.fetch_sub(1, Ordering::Relaxed);
        self.observer()
            .database_slot_wait(waiting.elapsed(), slot.is_ok());
        let slot = slot
            .map_err(|_| CoreError::Unavailable)?
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let outcome = span.in_scope(work);
            drop(slot);
            outcome
        })
        .await
        .map_err(|e| CoreError::Internal(format!("blocking task failed: {e}")))?
    }

    /// The pool and the queue for its slots as they stand (for metrics).
    pub fn database_state(&self) -> DatabaseState {
        let (connections, idle_connections) = self.inner.db.pool_state();
        let max_connections = self.inner.db.max_connections();
        let slots = max_connections.max(1) as usize;
        DatabaseState {
            connections,
            idle_connections,
            max_connections,
            slots_in_use: slots.saturating_sub(self.inner.db_slots.available_permits()),
            slots_waited_for: self.inner.db_slot_waiters.load(Ordering::Relaxed),
        }
    }

    /// Checks that the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), CoreError> {
        let db = self.db().clone();
        self.blocking(move || db.ping().map_err(CoreError::from))
            .await
    }

    /// Looks at the signing keys again (the periodic refresh): this instance says which key it
    /// signs with, keys no live token can need are retired (with their events), and rotations
    /// made elsewhere start signing here.
    pub async fn refresh_keys(&self) -> Result<(), CoreError> {
        let core = self.clone();
        self.blocking(move || {
            let keys = core.keys()?;
            let retire = crate::keys::RetireReplacedKeys {
                signing: keys.signing_kid(),
                overlap: keys.overlap(),
            };
            core.execute_blocking(&Principal::Operator, &RequestMeta::default(), retire)?;
            keys.refresh(core.db())
        })
        .await
    }

    /// Reloads the signing keys, for a token naming a key this instance has not seen.
    pub async fn reload_keys(&self) -> Result<(), CoreError> {
        let (keys, db) = (self.keys()?.clone(), self.db().clone());
        self.blocking(move || keys.reload(&db)).await
    }
}
