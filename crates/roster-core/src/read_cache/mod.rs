//! The read cache: the rows behind the hottest reads (who a credential is, an organization with
//! the caller's standing in it, another member's standing, a project with what someone's teams
//! give to it), kept in memory so that reading an organization or answering `authorize` (with
//! a project or without) usually needs no database at all.
//!
//! Correct on every instance, by construction:
//! - what it holds is invalidated by the database itself: triggers on the cached tables feed
//!   [`roster_store::cache_changes`], which this process hears of after its own commits (before
//!   the response) and, from other instances, through `LISTEN/NOTIFY` ([`follow`]);
//! - an instance that cannot hear every change (its listener's connection is gone, or has not
//!   confirmed it is alive for a second) reads from the database until it has reconnected and
//!   forgotten everything ([`Trust`]);
//! - only reads use it: writes read fresh rows under their locks;
//! - what would stop holding with time alone (a membership or key that expires) is checked on
//!   every hit, and no entry is kept longer than [`MAX_AGE`] whatever happens.

mod entries;
mod follow;
mod generations;
mod trust;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{OrganizationId, SessionId, UserId};
use roster_store::cache_changes::Change;
use roster_store::Ts;

use crate::standing::{
    OrgLookup, OrgStanding, PresentedKey, ProjectWithTeamAccess, SubjectStanding,
};

use entries::{Entries, Key, Value};
pub(crate) use follow::start_following;
use generations::{Generations, Stamp};
pub(crate) use trust::Trust;

/// No entry is served older than this, whatever the feed says: a bound on the harm of a bug.
pub const MAX_AGE: Duration = Duration::from_secs(300);

/// The default memory for entries: some 8,000 members' standing or credentials, the working
/// set of a busy instance; more traffic than that is evicted (S3-FIFO keeps the busy ones).
pub const DEFAULT_BYTES: u64 = 16 * 1024 * 1024;

/// How the cache's use stands, for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    /// Entries pushed out to make room.
    pub evictions: u64,
    /// Changes heard of (each may make entries stale).
    pub invalidations: u64,
    /// Reads that went to the database because the cache could not be trusted.
    pub bypasses: u64,
    pub entries: u64,
    pub bytes: u64,
    pub capacity_bytes: u64,
    /// Whether the cache is in use right now (it hears every change).
    pub trusted: bool,
}

pub struct ReadCache {
    entries: Option<Entries>,
    generations: Generations,
    trust: Trust,
    hits: AtomicU64,
    misses: AtomicU64,
    invalidations: AtomicU64,
    bypasses: AtomicU64,
}

/// Taken before the rows an entry is filled from are read (see [`generations`]); `None` when
/// nothing may be kept.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FillTicket(Stamp);

impl ReadCache {
    /// A cache of at most `bytes` (0: none), trusted once [`Trust`] says so.
    pub(crate) fn new(bytes: u64, trust: Trust) -> ReadCache {
        ReadCache {
            entries: (bytes > 0).then(|| Entries::new(bytes)),
            generations: Generations::default(),
            trust,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            invalidations: AtomicU64::new(0),
            bypasses: AtomicU64::new(0),
        }
    }

    /// No cache (command-line tools).
    pub(crate) fn none() -> ReadCache {
        ReadCache::new(0, Trust::never())
    }

    pub(crate) fn trust(&self) -> &Trust {
        &self.trust
    }

    /// Whether reads may use the cache right now.
    pub(crate) fn usable(&self) -> bool {
        self.entries.is_some() && self.trust.trusted()
    }

    /// Forgets what `changes` touched.
    pub(crate) fn invalidate(&self, changes: &[Change]) {
        self.invalidations
            .fetch_add(changes.len() as u64, Ordering::Relaxed);
        self.generations.invalidate(changes);
    }

    /// Forgets everything (the listener reconnected: changes may have been missed).
    pub(crate) fn forget_everything(&self) {
        self.invalidate(&[Change::Everything]);
        if let Some(entries) = &self.entries {
            entries.clear();
        }
    }

    /// Taken before reading rows to fill an entry from; `None` when the cache is not in use.
    pub(crate) fn ticket(&self) -> Option<FillTicket> {
        if self.usable() {
            Some(FillTicket(self.generations.stamp()))
        } else {
            if self.entries.is_some() {
                self.bypasses.fetch_add(1, Ordering::Relaxed);
            }
            None
        }
    }

    fn get(&self, key: &Key, now: Ts) -> Option<Arc<Value>> {
        let entries = self.entries.as_ref()?;
        if !self.trust.trusted() {
            self.bypasses.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        let found = entries.get(key).filter(|entry| {
            entry.fresh(now) && self.generations.current(entry.stamp, &entry.slots)
        });
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found.map(|entry| entry.value.clone())
    }

    fn keep(&self, ticket: FillTicket, key: Key, value: Value) {
        if let Some(entries) = &self.entries {
            entries.insert(key, ticket.0, value);
        }
    }

    /// The caller's standing in an organization, as [`roster_store::org_access::load`] reads it.
    pub(crate) fn standing(
        &self,
        user: UserId,
        session: Option<SessionId>,
        organization: &OrgKey,
        now: Ts,
    ) -> Option<OrgStanding> {
        let key = Key::Standing(user, session, organization.clone());
        match self.get(&key, now)?.as_ref() {
            Value::Standing(standing) => Some(standing.clone()),
            _ => None,
        }
    }

    /// Keeps a standing read at `ticket` (only one found under its current name or id).
    pub(crate) fn keep_standing(
        &self,
        ticket: FillTicket,
        session: Option<SessionId>,
        organization: &OrgKey,
        standing: &OrgStanding,
    ) {
        if let OrgLookup::Found(_) = &standing.organization {
            let key = Key::Standing(standing.user.id, session, organization.clone());
            self.keep(ticket, key, Value::Standing(standing.clone()));
        }
    }

    /// Another user's standing in an organization, as
    /// [`roster_store::org_access::subject_standing`] reads it.
    pub(crate) fn subject(
        &self,
        organization: OrganizationId,
        user: UserId,
        now: Ts,
    ) -> Option<SubjectStanding> {
        match self.get(&Key::Subject(organization, user), now)?.as_ref() {
            Value::Subject(standing) => Some(standing.clone()),
            _ => None,
        }
    }

    pub(crate) fn keep_subject(
        &self,
        ticket: FillTicket,
        organization: OrganizationId,
        standing: &SubjectStanding,
    ) {
        let key = Key::Subject(organization, standing.0.id);
        self.keep(ticket, key, Value::Subject(standing.clone()));
    }

    /// The API key presented with `hash`, as [`roster_store::api_keys::find_by_hash`] reads it.
    pub(crate) fn api_key(&self, hash: &[u8; 32], now: Ts) -> Option<PresentedKey> {
        match self.get(&Key::Presented(*hash), now)?.as_ref() {
            Value::ApiKey(presented) => Some(presented.clone()),
            _ => None,
        }
    }

    pub(crate) fn keep_api_key(&self, ticket: FillTicket, hash: &[u8; 32], key: &PresentedKey) {
        self.keep(ticket, Key::Presented(*hash), Value::ApiKey(key.clone()));
    }

    /// A project of an organization with what `teams`' grants give to it, as
    /// [`roster_store::projects::find`] reads it (a project that does not exist is never kept).
    pub(crate) fn project(
        &self,
        organization: OrganizationId,
        project: &NameOrId,
        teams: Option<UserId>,
        now: Ts,
    ) -> Option<ProjectWithTeamAccess> {
        let key = Key::Project(organization, project.clone(), teams);
        match self.get(&key, now)?.as_ref() {
            Value::Project(found) => Some(found.clone()),
            _ => None,
        }
    }

    pub(crate) fn keep_project(
        &self,
        ticket: FillTicket,
        project: &NameOrId,
        teams: Option<UserId>,
        found: &ProjectWithTeamAccess,
    ) {
        let key = Key::Project(found.0.organization_id, project.clone(), teams);
        self.keep(ticket, key, Value::Project(found.clone()));
    }

    pub fn stats(&self) -> CacheStats {
        let (entries, bytes, capacity_bytes, evictions) = match &self.entries {
            Some(e) => (e.len(), e.weight(), e.capacity(), e.evictions()),
            None => (0, 0, 0, 0),
        };
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            evictions,
            invalidations: self.invalidations.load(Ordering::Relaxed),
            bypasses: self.bypasses.load(Ordering::Relaxed),
            entries,
            bytes,
            capacity_bytes,
            trusted: self.usable(),
        }
    }
}
