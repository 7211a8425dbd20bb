//! Hearing of changes committed by others: `LISTEN` on a connection of its own (PostgreSQL),
//! or reading the feed's table every few milliseconds (SQLite, for `roster` commands run
//! beside a server). This process's own commits reach the cache before their response goes
//! (the subscriber set here).

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use roster_store::cache_changes::{self, Change};
use roster_store::diesel::connection::SimpleConnection;
use roster_store::diesel::PgConnection;
use roster_store::{Backend, Db, StoreError};

use super::ReadCache;

/// The listener's `application_name` in `pg_stat_activity`.
pub const LISTENER_NAME: &str = "roster-cache-listener";
/// How often the listener looks for notifications that have arrived.
const POLL: Duration = Duration::from_millis(1);
/// How often it sends itself a heartbeat (and takes rows written outside Roster).
const CONFIRM_EVERY: Duration = Duration::from_millis(200);
/// How long it waits before connecting again.
const RECONNECT_AFTER: Duration = Duration::from_millis(250);
/// SQLite: how often another process's changes are looked for, and old ones pruned.
const SQLITE_POLL: Duration = Duration::from_millis(50);
const SQLITE_PRUNE_EVERY: Duration = Duration::from_secs(10);

/// Subscribes `cache` to this process's commits and starts hearing of everyone else's, on a
/// thread that ends when the cache is dropped.
pub(crate) fn start_following(db: &Db, cache: &Arc<ReadCache>) -> std::io::Result<()> {
    let own: Weak<ReadCache> = Arc::downgrade(cache);
    let subscribed = db.changes().subscribe(Arc::new(move |changes: &[Change]| {
        if let Some(cache) = own.upgrade() {
            cache.invalidate(changes);
        }
    }));
    if !subscribed {
        // Another cache hears this database handle's commits: this one would hear none.
        return Err(std::io::Error::other(
            "this database handle already feeds another read cache",
        ));
    }
    if db.backend() == Backend::Sqlite {
        // Where the feed stands now, before anything is served.
        db.follow_sqlite_changes().map_err(std::io::Error::other)?;
        cache.trust().confirm();
    }
    let (db, cache) = (db.clone(), Arc::downgrade(cache));
    let builder = std::thread::Builder::new().name("roster-cache-feed".into());
    match db.backend() {
        Backend::Postgres => builder.spawn(move || listen_postgres(&db, &cache)),
        Backend::Sqlite => builder.spawn(move || poll_sqlite(&db, &cache)),
    }
    .map(|_| ())
}

fn listen_postgres(db: &Db, cache: &Weak<ReadCache>) {
    let mut failures = 0u32;
    loop {
        if cache.strong_count() == 0 {
            return;
        }
        let outcome = db.dedicated_pg_connection().and_then(|mut conn| {
            // Named, so that an operator (and a test) can find it in pg_stat_activity.
            conn.batch_execute(&format!(
                "SET application_name = '{LISTENER_NAME}'; LISTEN {}",
                cache_changes::CHANNEL
            ))?;
            // Listening from here on; what changed before is forgotten. The cache is trusted
            // again once the first heartbeat comes back through the channel.
            if let Some(cache) = cache.upgrade() {
                cache.forget_everything();
                tracing::info!("read cache: listening for changes");
            }
            failures = 0;
            hear(&mut conn, cache)
        });
        let Some(cache) = cache.upgrade() else {
            return;
        };
        cache.trust().lose();
        cache.forget_everything();
        if let Err(error) = outcome {
            failures += 1;
            // Once per outage is enough in the log.
            if failures == 1 {
                tracing::warn!(%error, "read cache: lost the change listener; reading from the database until it is back");
            }
        }
        drop(cache);
        std::thread::sleep(RECONNECT_AFTER);
    }
}

/// Hands on every notification until the connection fails (or the cache is gone: `Ok`). The
/// cache is trusted while the listener's own heartbeats come back through the channel: that
/// proves notifications reach it, not only that the connection answers (behind a pooler that
/// drops `LISTEN`, none would ever come).
fn hear(conn: &mut PgConnection, cache: &Weak<ReadCache>) -> Result<(), StoreError> {
    let mut sent: Option<Instant> = None;
    let mut awaited: Option<String> = None;
    loop {
        let Some(cache) = cache.upgrade() else {
            return Ok(());
        };
        for notification in conn.notifications_iter() {
            let notification = notification?;
            if awaited.as_deref() == Some(notification.payload.as_str()) {
                cache.trust().confirm();
                awaited = None;
                continue;
            }
            cache.invalidate(&Change::parse_payload(&notification.payload));
        }
        if sent.is_none_or(|at| at.elapsed() >= CONFIRM_EVERY) {
            let leftovers = cache_changes::take_leftovers_pg(conn)?;
            cache.invalidate(&leftovers);
            // A heartbeat not heard by now no longer confirms anything.
            let heartbeat = format!(
                "{}{}",
                cache_changes::HEARTBEAT_PREFIX,
                uuid::Uuid::now_v7()
            );
            cache_changes::send_heartbeat(conn, &heartbeat)?;
            awaited = Some(heartbeat);
            sent = Some(Instant::now());
        }
        drop(cache);
        std::thread::sleep(POLL);
    }
}

fn poll_sqlite(db: &Db, cache: &Weak<ReadCache>) {
    let mut pruned = Instant::now();
    while let Some(cache) = cache.upgrade() {
        match db.follow_sqlite_changes() {
            Ok(()) => cache.trust().confirm(),
            Err(error) => {
                // Not confirmed: the cache lapses within a second unless a later look works.
                tracing::warn!(%error, "read cache: cannot read the changes; forgetting everything");
                cache.forget_everything();
            }
        }
        if pruned.elapsed() >= SQLITE_PRUNE_EVERY {
            if let Err(error) = db.prune_sqlite_changes() {
                tracing::debug!(%error, "read cache: cannot prune old changes");
            }
            pruned = Instant::now();
        }
        drop(cache);
        std::thread::sleep(SQLITE_POLL);
    }
}
