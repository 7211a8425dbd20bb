//! The connection pool: a manager that picks the backend by URL scheme, and [`Db`], which hands
//! out connections and runs transactions.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::R2D2Connection;
use diesel::{Connection, PgConnection, SqliteConnection};
use r2d2::ManageConnection;

use crate::cache_changes::{self, Change, ChangeFeed};
use crate::{Backend, DbConn, StoreError, TransactionError};

/// Parses a database URL into its backend and the string that backend's driver expects.
///
/// `postgres://` and `postgresql://` are Postgres; `sqlite://path` (or `sqlite:path`) is a
/// SQLite file. Anything else is refused rather than silently opened as a file.
pub fn parse_database_url(url: &str) -> Result<(Backend, String), StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_owned()));
    }
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        if path.is_empty() || path.contains(":memory:") {
            return Err(StoreError::Config(
                "a SQLite URL needs a file path, e.g. sqlite://roster.db".into(),
            ));
        }
        return Ok((Backend::Sqlite, path.to_owned()));
    }
    Err(StoreError::Config(format!(
        "unsupported database URL scheme in {:?}: use postgres://… or sqlite://…",
        redact_url(url)
    )))
}

/// The URL with any password replaced, safe to log.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// An r2d2 manager that reports the driver's real connection error ("connection refused",
/// "password authentication failed") instead of Diesel's generic one.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    backend: Backend,
    target: String,
}

impl ConnectionManager {
    pub fn new(url: &str) -> Result<Self, StoreError> {
        let (backend, target) = parse_database_url(url)?;
        Ok(Self { backend, target })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConnectError(String);

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConn, ConnectError> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.target)
                .map(DbConn::Pg)
                .map_err(|e| ConnectError(e.to_string())),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.target).map_err(|e| {
                    ConnectError(format!(
                        "cannot open the SQLite database {}: {e}",
                        absolute(&self.target)
                    ))
                })?;
                // WAL lets readers proceed beside the single writer; NORMAL sync is safe in WAL.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                )
                .map_err(|e| ConnectError(e.to_string()))?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| ConnectError(e.to_string()))
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        match conn {
            DbConn::Pg(c) => c.is_broken(),
            DbConn::Sqlite(c) => c.is_broken(),
        }
    }
}

/// The path as the operator should read it: absolute (a relative one is relative to the working
/// directory, which the operator may not know for a service).
fn absolute(path: &str) -> String {
    std::path::absolute(path).map_or_else(|_| path.to_owned(), |p| p.display().to_string())
}

/// SQLite creates a missing database file but not its directory, and says only "unable to open
/// database file"; name the directory instead. URI file names (`file:…?mode=ro`) are left to
/// SQLite.
fn sqlite_directory_exists(path: &str) -> Result<(), StoreError> {
    if path.starts_with("file:") || path.contains('?') {
        return Ok(());
    }
    let Ok(file) = std::path::absolute(path) else {
        return Ok(());
    };
    match file.parent() {
        Some(directory) if !directory.is_dir() => {
            let problem = if directory.exists() {
                "is not a directory"
            } else {
                "does not exist (create it, or give another path)"
            };
            Err(StoreError::Config(format!(
                "the SQLite database {} cannot be created: its directory {} {problem}",
                file.display(),
                directory.display()
            )))
        }
        _ => Ok(()),
    }
}

/// Logs pool errors through `tracing` (r2d2's default handler uses `log`, which we don't wire).
#[derive(Debug)]
struct TracingErrorHandler;

impl r2d2::HandleError<ConnectError> for TracingErrorHandler {
    fn handle_error(&self, error: ConnectError) {
        tracing::warn!(error = %error, "database connection failed");
    }
}

/// How long a request waits for a connection by default before it is answered 503.
pub const DEFAULT_CONNECTION_TIMEOUT: Duration = Duration::from_secs(3);

/// Pool settings; the defaults suit one Roster instance on a small machine.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    /// How long a request waits for a connection before it is answered 503.
    pub connection_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 16,
            connection_timeout: DEFAULT_CONNECTION_TIMEOUT,
        }
    }
}

/// The database handle shared by every request: a pool plus how to run transactions on it.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<ConnectionManager>,
    backend: Backend,
    /// SQLite has one writer at a time, and a deferred transaction that upgrades to a write
    /// fails at once with SQLITE_BUSY when another one got there first. Serializing writers
    /// in-process turns that failure into a short wait.
    sqlite_writer: Arc<Mutex<()>>,
    /// Where committed changes to cached tables go (the read cache of this process).
    changes: Arc<ChangeFeed>,
    /// For a connection outside the pool.
    manager: ConnectionManager,
}

impl Db {
    /// Builds the pool without connecting, so a server can start while its database is down.
    ///
    /// A SQLite file in a directory that does not exist is refused at once: no retry can help.
    pub fn new(url: &str, options: &PoolOptions) -> Result<Db, StoreError> {
        let manager = ConnectionManager::new(url)?;
        let backend = manager.backend;
        if backend == Backend::Sqlite {
            sqlite_directory_exists(&manager.target)?;
        }
        let pool = r2d2::Pool::builder()
            .max_size(options.max_size)
            .min_idle(Some(0))
            .connection_timeout(options.connection_timeout)
            // A checkout test costs a round trip per request; broken connections are caught
            // by `has_broken` after a failed query instead.
            .test_on_check_out(false)
            .error_handler(Box::new(TracingErrorHandler))
            .build_unchecked(manager.clone());
        Ok(Db {
            pool,
            backend,
            sqlite_writer: Arc::new(Mutex::new(())),
            changes: Arc::new(ChangeFeed::default()),
            manager,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The feed of committed changes to the tables a read cache holds rows of.
    pub fn changes(&self) -> &ChangeFeed {
        &self.changes
    }

    /// The most connections the pool opens.
    pub fn max_connections(&self) -> u32 {
        self.pool.max_size()
    }

    /// A connection from the pool; `Unavailable` when none can be had in time.
    pub fn conn(&self) -> Result<r2d2::PooledConnection<ConnectionManager>, StoreError> {
        self.pool.get().map_err(StoreError::from)
    }

    /// Runs `work` on a pooled connection without a transaction (reads).
    pub fn read<T, E>(&self, work: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut conn = self.conn()?;
        work(&mut conn)
    }

    /// Runs `work` in one transaction: committed when it returns `Ok`, rolled back otherwise.
    ///
    /// A transaction the database aborted to break a deadlock or a serialization conflict is
    /// run again from the start (a few times, after a short random pause so that the two
    /// parties do not collide again in step); only then does its error reach the caller.
    pub fn write<T, E>(&self, mut work: impl FnMut(&mut DbConn) -> Result<T, E>) -> Result<T, E>
    where
        E: TransactionError,
    {
        let mut conn = self.conn()?;
        let mut attempt = 0;
        loop {
            let outcome = {
                let _writer = match self.backend {
                    Backend::Sqlite => {
                        Some(self.sqlite_writer.lock().unwrap_or_else(|p| p.into_inner()))
                    }
                    Backend::Postgres => None,
                };
                match &*conn {
                    DbConn::Pg(_) => conn
                        .transaction::<_, TxError<E>, _>(|tx| {
                            let value = work(tx).map_err(TxError::App)?;
                            // The triggers' rows for this transaction, announced to the other
                            // instances by a NOTIFY that is delivered only if it commits.
                            let changed = match &mut **tx {
                                DbConn::Pg(pg) => cache_changes::take_own_pg(pg),
                                DbConn::Sqlite(_) => Ok(Vec::new()),
                            }
                            .map_err(|e| TxError::App(E::from(e)))?;
                            Ok((value, changed))
                        })
                        .map(|(value, changed)| {
                            self.changes.publish(&changed);
                            value
                        })
                        .map_err(|error| match error {
                            TxError::App(app) => app,
                            TxError::Diesel(db) => E::from(StoreError::from(db)),
                        }),
                    DbConn::Sqlite(_) => {
                        let outcome = immediate_transaction(&mut conn, &mut work);
                        if outcome.is_ok() {
                            self.catch_up_sqlite(&mut conn);
                        }
                        outcome
                    }
                }
            };
            match outcome {
                Err(error) if error.is_transient() && attempt < TRANSIENT_RETRIES => {
                    attempt += 1;
                    tracing::debug!(
                        attempt,
                        "transaction aborted by a conflict; running it again"
                    );
                    std::thread::sleep(retry_pause(attempt));
                }
                other => return other,
            }
        }
    }

    /// SQLite: hands on what this commit (and any other process's since the last look) changed,
    /// still under the writer lock so that changes go out in commit order. A failure to read
    /// them is a reason to forget everything, never to keep what may be stale.
    fn catch_up_sqlite(&self, conn: &mut DbConn) {
        let DbConn::Sqlite(sqlite) = conn else {
            return;
        };
        if let Err(error) = self.changes.catch_up_sqlite(sqlite) {
            tracing::warn!(%error, "cannot read the cache changes; forgetting the whole cache");
            self.changes.publish(&[Change::Everything]);
        }
    }

    /// A PostgreSQL connection of its own, outside the pool (the cache's change listener).
    pub fn dedicated_pg_connection(&self) -> Result<PgConnection, StoreError> {
        match self.manager.connect() {
            Ok(DbConn::Pg(conn)) => Ok(conn),
            Ok(DbConn::Sqlite(_)) => Err(StoreError::Config(
                "a dedicated connection is for PostgreSQL".into(),
            )),
            Err(error) => Err(StoreError::Unavailable(error.to_string())),
        }
    }

    /// SQLite: reads what other processes committed (the server does every 50 ms).
    pub fn follow_sqlite_changes(&self) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let DbConn::Sqlite(sqlite) = &mut *conn else {
            return Ok(());
        };
        let _writer = self.sqlite_writer.lock().unwrap_or_else(|p| p.into_inner());
        self.changes.catch_up_sqlite(sqlite)
    }

    /// SQLite: forgets changes older than a minute.
    pub fn prune_sqlite_changes(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let DbConn::Sqlite(sqlite) = &mut *conn else {
            return Ok(0);
        };
        let _writer = self.sqlite_writer.lock().unwrap_or_else(|p| p.into_inner());
        cache_changes::prune_sqlite(sqlite)
    }

    /// Open and idle connections in the pool, for metrics.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    /// Checks that the database answers (for `/readyz`).
    pub fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        conn.batch_execute("SELECT 1").map_err(StoreError::from)
    }
}

/// A SQLite write transaction that takes the write lock when it begins (`BEGIN IMMEDIATE`).
///
/// A deferred transaction reads first and asks for the write lock at its first write; if
/// another connection (another process, `roster admin create` beside a server) committed in
/// between, SQLite answers SQLITE_BUSY at once, without waiting: the read snapshot is stale.
/// Taken at `BEGIN`, the lock is waited for (the busy timeout), and the transaction then reads
/// and writes one consistent state. Our writers never nest transactions inside this one.
fn immediate_transaction<T, E>(
    conn: &mut DbConn,
    work: &mut impl FnMut(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: TransactionError,
{
    conn.batch_execute("BEGIN IMMEDIATE")
        .map_err(|e| E::from(StoreError::from(e)))?;
    match work(conn) {
        Ok(value) => match conn.batch_execute("COMMIT") {
            Ok(()) => Ok(value),
            Err(error) => {
                let _ = conn.batch_execute("ROLLBACK");
                Err(E::from(StoreError::from(error)))
            }
        },
        Err(error) => {
            // A failed statement may have ended the transaction already; ROLLBACK then fails
            // harmlessly.
            let _ = conn.batch_execute("ROLLBACK");
            Err(error)
        }
    }
}

/// How often a transaction aborted by a deadlock or serialization failure is run again.
const TRANSIENT_RETRIES: u32 = 5;

/// A pause that doubles with each attempt (2, 4, 8… ms), times a random factor in [0.5, 1.5).
fn retry_pause(attempt: u32) -> Duration {
    let base = 1u64 << attempt.min(10);
    let jitter = rand::random::<f64>() + 0.5;
    Duration::from_secs_f64(base as f64 * jitter / 1000.0)
}

/// A transaction's failure: the database's own, or the work's.
enum TxError<E> {
    Diesel(diesel::result::Error),
    App(E),
}

impl<E> From<diesel::result::Error> for TxError<E> {
    fn from(error: diesel::result::Error) -> Self {
        TxError::Diesel(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_scheme_picks_the_backend() {
        assert_eq!(
            parse_database_url("postgres://u@h/db").unwrap().0,
            Backend::Postgres
        );
        assert_eq!(
            parse_database_url("postgresql://u@h/db").unwrap().0,
            Backend::Postgres
        );
        assert_eq!(
            parse_database_url("sqlite://data/roster.db").unwrap(),
            (Backend::Sqlite, "data/roster.db".to_owned())
        );
        assert!(matches!(
            parse_database_url("mysql://h/db"),
            Err(StoreError::Config(_))
        ));
        assert!(matches!(
            parse_database_url("roster.db"),
            Err(StoreError::Config(_))
        ));
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/roster"),
            "postgres://app:***@db:5432/roster"
        );
        assert_eq!(redact_url("sqlite://roster.db"), "sqlite://roster.db");
        assert_eq!(
            redact_url("postgres://postgres@db/roster"),
            "postgres://postgres@db/roster"
        );
    }
}
