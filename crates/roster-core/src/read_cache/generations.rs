//! Which cached entries are still current, without a list of entries per change.
//!
//! Every change a write commits bumps a logical clock and stamps the clock's new value on the
//! slot its [`Change`] hashes to; forgetting everything stamps a slot of its own. An entry
//! remembers the clock's value from *before* its rows were read and the slots of what it was
//! read from; it is current while none of those slots is stamped later than that. So a change
//! that commits while an entry is being read makes it stale at once, and two changes sharing a
//! slot only cost a needless refill. Memory is fixed (the slots), and checking an entry is a
//! few atomic loads.

use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::atomic::{AtomicU64, Ordering};

use roster_store::cache_changes::Change;

/// 64 Ki slots (512 KiB): collisions stay rare for the changes of a busy minute.
const SLOTS: usize = 1 << 16;

/// The clock's value when an entry's rows were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp(u64);

/// A change's slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot(u32);

pub(crate) struct Generations {
    clock: AtomicU64,
    slots: Box<[AtomicU64]>,
    /// When everything was last forgotten.
    flushed: AtomicU64,
}

impl Default for Generations {
    fn default() -> Self {
        Generations {
            clock: AtomicU64::new(0),
            slots: (0..SLOTS).map(|_| AtomicU64::new(0)).collect(),
            flushed: AtomicU64::new(0),
        }
    }
}

impl Generations {
    /// Taken before reading the rows an entry is filled from.
    pub(crate) fn stamp(&self) -> Stamp {
        Stamp(self.clock.load(Ordering::SeqCst))
    }

    pub(crate) fn slot(change: &Change) -> Slot {
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(change);
        Slot((hash as usize % SLOTS) as u32)
    }

    /// Everything read from rows that `changes` touched is stale from now on.
    pub(crate) fn invalidate(&self, changes: &[Change]) {
        for change in changes {
            let now = self.clock.fetch_add(1, Ordering::SeqCst) + 1;
            match change {
                Change::Everything => self.flushed.fetch_max(now, Ordering::SeqCst),
                change => {
                    self.slots[Self::slot(change).0 as usize].fetch_max(now, Ordering::SeqCst)
                }
            };
        }
    }

    /// Whether an entry read at `stamp` from rows behind `slots` is still current.
    pub(crate) fn current(&self, stamp: Stamp, slots: &[Slot]) -> bool {
        self.flushed.load(Ordering::SeqCst) <= stamp.0
            && slots
                .iter()
                .all(|slot| self.slots[slot.0 as usize].load(Ordering::SeqCst) <= stamp.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_domain::{OrganizationId, UserId};

    #[test]
    fn a_change_after_the_stamp_makes_the_entry_stale_and_one_before_does_not() {
        let generations = Generations::default();
        let user = Change::User(UserId::new());
        let other = Change::Organization(OrganizationId::new());
        let slots = [Generations::slot(&user)];
        generations.invalidate(&[user]);
        let stamp = generations.stamp();
        assert!(
            generations.current(stamp, &slots),
            "changed before it was read"
        );
        generations.invalidate(&[other]);
        assert!(generations.current(stamp, &slots), "another row changed");
        generations.invalidate(&[user]);
        assert!(!generations.current(stamp, &slots));
    }

    #[test]
    fn forgetting_everything_makes_every_entry_stale() {
        let generations = Generations::default();
        let stamp = generations.stamp();
        generations.invalidate(&[Change::Everything]);
        assert!(!generations.current(stamp, &[]));
        assert!(generations.current(generations.stamp(), &[]));
    }
}
