//! What every request handler shares.

use std::sync::Arc;

use roster_store::Db;
use tokio::sync::Semaphore;

use crate::config::Policies;
use crate::error::ApiError;
use crate::keys::KeyStore;
use crate::metrics::Metrics;
use crate::passwords::PasswordPool;

/// How long a request waits for a database slot before it is answered 503; the pool's own
/// connection timeout, so a slow database sheds load instead of queueing without end.
const DB_WAIT: std::time::Duration = roster_store::DEFAULT_CONNECTION_TIMEOUT;

/// Shared, cheap to clone: the database, the token keys and the server's policies.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub keys: KeyStore,
    pub policies: Policies,
    /// argon2 work (~20 ms of CPU, 19 MiB each) on one thread per core, reusing its memory.
    pub passwords: PasswordPool,
    /// One permit per pooled connection. Requests wait for a permit here, in FIFO order and
    /// without holding a thread, instead of parking blocking threads on the pool's condvar:
    /// fewer threads, fewer context switches, and a fair queue (a shorter p99).
    pub db_slots: Arc<Semaphore>,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(
        db: Db,
        keys: KeyStore,
        policies: Policies,
        db_pool_size: u32,
    ) -> Result<AppState, std::io::Error> {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Ok(AppState {
            db,
            keys,
            policies,
            passwords: PasswordPool::start(cores, crate::passwords::QUEUE)?,
            db_slots: Arc::new(Semaphore::new(db_pool_size.max(1) as usize)),
            metrics: Arc::default(),
        })
    }

    /// Runs blocking database work on actix's blocking pool, off the async workers.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Db) -> Result<T, ApiError> + Send + 'static,
    {
        // The permit moves into the blocking task and is released the moment the database work
        // ends, not when this worker next gets round to polling the result.
        // Waiting longer than the pool would is pointless: the database is down or swamped.
        let slot = tokio::time::timeout(DB_WAIT, Arc::clone(&self.db_slots).acquire_owned())
            .await
            .map_err(|_| ApiError::Unavailable)?
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let db = self.db.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            let outcome = span.in_scope(|| work(&db));
            drop(slot);
            outcome
        })
        .await?
    }
}
