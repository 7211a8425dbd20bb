//! Whether this instance hears every change right now, and so may serve from its cache.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A feed not confirmed for this long is taken for lost: a change could be going unheard. (It
/// bounds staleness when a connection dies silently; a connection that is closed is noticed
/// within a millisecond.)
pub(crate) const CONFIRMATION_WINDOW: Duration = Duration::from_secs(1);

pub(crate) struct Trust {
    kind: Kind,
    /// The feed is connected (cleared the moment it is lost).
    listening: AtomicBool,
    /// When it last confirmed its connection works, in milliseconds since `epoch`.
    confirmed_ms: AtomicU64,
    epoch: Instant,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Trusted while the feed is confirmed: the PostgreSQL listener hears its own heartbeats,
    /// or the SQLite poller reads the changes table.
    Confirmed,
    /// Never (no cache).
    Never,
}

impl Trust {
    pub(crate) fn confirmed() -> Trust {
        Trust::with(Kind::Confirmed)
    }

    pub(crate) fn never() -> Trust {
        Trust::with(Kind::Never)
    }

    fn with(kind: Kind) -> Trust {
        Trust {
            kind,
            listening: AtomicBool::new(false),
            confirmed_ms: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    pub(crate) fn trusted(&self) -> bool {
        match self.kind {
            Kind::Never => false,
            Kind::Confirmed => {
                self.listening.load(Ordering::SeqCst)
                    && self
                        .millis()
                        .saturating_sub(self.confirmed_ms.load(Ordering::SeqCst))
                        < CONFIRMATION_WINDOW.as_millis() as u64
            }
        }
    }

    /// The feed is heard now (after the cache was emptied when it was lost).
    pub(crate) fn confirm(&self) {
        self.confirmed_ms.store(self.millis(), Ordering::SeqCst);
        self.listening.store(true, Ordering::SeqCst);
    }

    /// The feed is lost: nothing is served from the cache until it is confirmed again.
    pub(crate) fn lose(&self) {
        self.listening.store(false, Ordering::SeqCst);
    }

    fn millis(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }
}
