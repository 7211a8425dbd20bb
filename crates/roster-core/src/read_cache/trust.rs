//! Whether this instance hears every change right now, and so may serve from its cache.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A listener that has not confirmed its connection for this long is taken for lost: a change
/// could be going unheard.
pub(crate) const CONFIRMATION_WINDOW: Duration = Duration::from_secs(1);

pub(crate) struct Trust {
    kind: Kind,
    /// The listener is connected and listening (PostgreSQL).
    listening: AtomicBool,
    /// When it last confirmed its connection works, in milliseconds since `epoch`.
    confirmed_ms: AtomicU64,
    epoch: Instant,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One process's database (SQLite): every change is read from the database after each
    /// commit, so the cache is always current.
    InProcess,
    /// A shared database (PostgreSQL): trusted only while the listener is confirmed alive.
    Listener,
    /// Never (no cache).
    Never,
}

impl Trust {
    pub(crate) fn in_process() -> Trust {
        Trust::with(Kind::InProcess)
    }

    pub(crate) fn listener() -> Trust {
        Trust::with(Kind::Listener)
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
            Kind::InProcess => true,
            Kind::Never => false,
            Kind::Listener => {
                self.listening.load(Ordering::SeqCst)
                    && self
                        .millis()
                        .saturating_sub(self.confirmed_ms.load(Ordering::SeqCst))
                        < CONFIRMATION_WINDOW.as_millis() as u64
            }
        }
    }

    /// The listener is listening (after the cache was emptied) and its connection works now.
    pub(crate) fn confirm(&self) {
        self.confirmed_ms.store(self.millis(), Ordering::SeqCst);
        self.listening.store(true, Ordering::SeqCst);
    }

    /// The listener lost its connection: nothing is served from the cache until it is back.
    pub(crate) fn lose(&self) {
        self.listening.store(false, Ordering::SeqCst);
    }

    fn millis(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }
}
