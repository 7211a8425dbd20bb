//! The entries themselves: what each holds, which changes make it stale, when time alone ends
//! it, and how much memory it takes (bounded by quick_cache's S3-FIFO, which keeps the busy
//! entries when a scan of one-off keys passes through).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use quick_cache::sync::Cache;
use quick_cache::{DefaultHashBuilder, Lifecycle, Weighter};
use roster_domain::NameOrId;
use roster_domain::OrgKey;
use roster_domain::{OrganizationId, SessionId, UserId};
use roster_store::cache_changes::Change;
use roster_store::Ts;

use super::generations::{Generations, Slot, Stamp};
use super::MAX_AGE;
use crate::members::Membership;
use crate::organizations::Organization;
use crate::roles::RoleView;
use crate::standing::{
    OrgLookup, OrgStanding, PresentedKey, ProjectWithTeamAccess, SubjectStanding,
};
use crate::users::User;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    /// A user's standing in an organization (named by id or name), with their session's state.
    Standing(UserId, Option<SessionId>, OrgKey),
    /// A user's standing in an organization when someone else asks about them.
    Subject(OrganizationId, UserId),
    /// The SHA-256 of a presented API key.
    Presented([u8; 32]),
    /// A project of an organization (by id or name), with what the teams of a user (`None`:
    /// nobody's) give to it.
    Project(OrganizationId, NameOrId, Option<UserId>),
}

pub(super) enum Value {
    Standing(OrgStanding),
    Subject(SubjectStanding),
    ApiKey(PresentedKey),
    Project(ProjectWithTeamAccess),
}

pub(super) struct Entry {
    pub value: Arc<Value>,
    /// The clock before its rows were read, and the slots of the rows it was read from.
    pub stamp: Stamp,
    pub slots: Box<[Slot]>,
    /// When it stops holding by itself (a membership or key expires).
    fresh_until: Option<Ts>,
    born: Instant,
    weight: u32,
}

impl Entry {
    pub fn fresh(&self, now: Ts) -> bool {
        self.fresh_until.is_none_or(|until| now < until) && self.born.elapsed() < MAX_AGE
    }
}

impl Value {
    /// The rows it was read from (under `key`), as the changes that would touch them.
    fn read_from(&self, key: &Key) -> Vec<Change> {
        match self {
            Value::Standing(standing) => {
                let user = standing.user.id;
                let mut read = vec![Change::User(user)];
                if let Key::Standing(_, Some(session), _) = key {
                    read.push(Change::Session(*session));
                }
                if let OrgLookup::Found(org) | OrgLookup::Renamed(org) = &standing.organization {
                    read.extend([
                        Change::Organization(org.id),
                        Change::Membership(org.id, user),
                        Change::Roles(org.id),
                    ]);
                }
                read
            }
            Value::Subject((user, _, _)) => {
                let mut read = vec![Change::User(user.id)];
                // A membership that is not there yet is read too: adding it must count.
                if let Key::Subject(organization, _) = key {
                    read.extend([
                        Change::Membership(*organization, user.id),
                        Change::Roles(*organization),
                    ]);
                }
                read
            }
            Value::ApiKey(presented) => {
                let mut read = vec![
                    Change::ApiKey(presented.key.id),
                    Change::User(presented.user.id),
                ];
                read.extend(presented.key.organization_id.map(Change::Roles));
                read
            }
            Value::Project((project, _)) => vec![Change::Projects(project.organization_id)],
        }
    }

    fn fresh_until(&self) -> Option<Ts> {
        match self {
            Value::Standing(standing) => expiry(standing.membership.as_ref()),
            Value::Subject((_, membership, _)) => expiry(membership.as_ref()),
            // Also until its use is due to be recorded again (the database path records it).
            Value::ApiKey(presented) => {
                let use_due = presented.key.last_used_at.map(|used| {
                    Ts(used + chrono::Duration::seconds(crate::access::KEY_USE_RESOLUTION_SECONDS))
                });
                match (presented.key.expires_at.map(Ts), use_due) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a
                        .or(b)
                        .or(Some(Ts::from_datetime(chrono::DateTime::UNIX_EPOCH))),
                }
            }
            Value::Project(_) => None,
        }
    }

    /// Roughly what it takes in memory: the value's and the entry's own size, the cache's
    /// bookkeeping, and every string and JSON document the rows hold (with an allocator's
    /// rounding), so that the size setting bounds the memory the process really uses.
    fn weight(&self) -> u32 {
        const BOOKKEEPING: usize = 160;
        let text = |s: &str| s.len().next_multiple_of(16);
        let opt = |s: &Option<String>| s.as_deref().map_or(0, text);
        let json = |v: &serde_json::Value| v.to_string().len() * 3;
        let address = |a: &roster_domain::Address| {
            opt(&a.line1)
                + opt(&a.line2)
                + opt(&a.city)
                + opt(&a.region)
                + opt(&a.postal_code)
                + opt(&a.country)
        };
        let list = |l: &[String]| l.iter().map(|s| 24 + text(s)).sum::<usize>();
        let user = |u: &User| text(&u.email) + opt(&u.name) + opt(&u.pending_email);
        let membership = |m: &Option<Membership>| {
            m.as_ref().map_or(0, |m| {
                text(&m.user.email)
                    + opt(&m.user.name)
                    + text(m.role.as_str())
                    + list(&m.permissions)
            })
        };
        let role = |r: &Option<RoleView>| {
            r.as_ref().map_or(0, |r| {
                text(&r.key) + text(&r.name) + opt(&r.description) + list(&r.permissions)
            })
        };
        let held = match self {
            Value::Standing(standing) => {
                let org = match &standing.organization {
                    OrgLookup::Found(org) | OrgLookup::Renamed(org) => {
                        std::mem::size_of::<Organization>()
                            + text(&org.name)
                            + text(&org.display_name)
                            + opt(&org.billing_email)
                            + opt(&org.description)
                            + opt(&org.website)
                            + opt(&org.logo_url)
                            + opt(&org.reference)
                            + json(&org.custom)
                            + address(&org.address)
                    }
                    OrgLookup::Missing => 0,
                };
                user(&standing.user)
                    + org
                    + membership(&standing.membership)
                    + role(&standing.custom_role)
            }
            Value::Subject((u, m, r)) => user(u) + membership(m) + role(r),
            Value::ApiKey(presented) => {
                user(&presented.user)
                    + text(&presented.key.name)
                    + text(&presented.key.prefix)
                    + list(&presented.key.permissions)
                    + role(&presented.custom_role)
            }
            Value::Project((project, _)) => {
                text(&project.name) * 2
                    + text(&project.display_name)
                    + opt(&project.description)
                    + json(&project.custom)
            }
        };
        let total =
            std::mem::size_of::<Value>() + std::mem::size_of::<Entry>() + BOOKKEEPING + held;
        u32::try_from(total).unwrap_or(u32::MAX)
    }
}

/// Counts the entries pushed out to make room.
#[derive(Clone, Default)]
struct CountEvictions(Arc<AtomicU64>);

impl Lifecycle<Key, Arc<Entry>> for CountEvictions {
    type RequestState = ();

    fn on_evict(&self, _: &mut (), _: Key, _: Arc<Entry>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Clone)]
struct ByWeight;

impl Weighter<Key, Arc<Entry>> for ByWeight {
    fn weight(&self, _: &Key, entry: &Arc<Entry>) -> u64 {
        u64::from(entry.weight)
    }
}

pub(super) struct Entries {
    cache: Cache<Key, Arc<Entry>, ByWeight, DefaultHashBuilder, CountEvictions>,
    evictions: CountEvictions,
    capacity: u64,
}

impl Entries {
    pub fn new(bytes: u64) -> Entries {
        let evictions = CountEvictions::default();
        Entries {
            cache: Cache::with(
                (bytes / 2_000).max(16) as usize,
                bytes,
                ByWeight,
                DefaultHashBuilder::default(),
                evictions.clone(),
            ),
            evictions,
            capacity: bytes,
        }
    }

    pub fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        self.cache.get(key)
    }

    pub fn insert(&self, key: Key, stamp: Stamp, value: Value) {
        let slots = value
            .read_from(&key)
            .iter()
            .map(Generations::slot)
            .collect();
        let entry = Entry {
            stamp,
            slots,
            fresh_until: value.fresh_until(),
            born: Instant::now(),
            weight: value.weight(),
            value: Arc::new(value),
        };
        self.cache.insert(key, Arc::new(entry));
    }

    pub fn clear(&self) {
        self.cache.clear();
    }

    pub fn len(&self) -> u64 {
        self.cache.len() as u64
    }

    pub fn weight(&self) -> u64 {
        self.cache.weight()
    }

    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    pub fn evictions(&self) -> u64 {
        self.evictions.0.load(Ordering::Relaxed)
    }
}

/// When a membership stops holding by itself.
fn expiry(membership: Option<&Membership>) -> Option<Ts> {
    membership.and_then(|m| m.expires_at).map(Ts)
}
