//! The read cache's invalidation feed: what a committed write changed, in the tables any
//! instance keeps rows of in memory.
//!
//! Triggers on those tables (the `cache_changes` migration) write a tag per changed row into
//! `cache_changes`, inside the writing transaction, so no code path has to remember to
//! invalidate. [`Db::write`](crate::Db::write) takes its own transaction's tags before it
//! commits (PostgreSQL: and announces them with `NOTIFY`, delivered to the other instances only
//! if it commits), then hands them to the subscriber of this process once it has committed.

use std::sync::{Arc, Mutex, OnceLock};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use roster_domain::{ApiKeyId, OrganizationId, SessionId, UserId};

use diesel::{PgConnection, SqliteConnection};

use crate::StoreError;

/// The `LISTEN`/`NOTIFY` channel the changes are announced on.
pub const CHANNEL: &str = "roster_cache";

/// The tables whose rows the read cache holds; each has a trigger feeding `cache_changes`.
pub const CACHED_TABLES: [&str; 9] = [
    "users",
    "refresh_tokens",
    "api_keys",
    "organizations",
    "memberships",
    "roles",
    "projects",
    "project_grants",
    "team_members",
];

/// A listener's heartbeat: a `NOTIFY` it sends itself to prove notifications reach it.
pub const HEARTBEAT_PREFIX: &str = "heartbeat:";

/// More changes than this in one transaction are announced as "everything" (an organization
/// deleted with its members): one message instead of many, and the cache refills.
const MOST_ANNOUNCED: usize = 500;

/// A `NOTIFY` payload must stay under 8,000 bytes.
const PAYLOAD_BYTES: usize = 7_000;

/// What a write changed, as the read cache needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    User(UserId),
    /// A sign-in session (refresh-token family).
    Session(SessionId),
    ApiKey(ApiKeyId),
    Organization(OrganizationId),
    Membership(OrganizationId, UserId),
    /// Any custom role of the organization.
    Roles(OrganizationId),
    /// Any project of the organization, grant of one, or team membership: what project
    /// access is read from.
    Projects(OrganizationId),
    /// Anything: forget it all.
    Everything,
}

impl Change {
    /// Reads a tag as the triggers write it; one that cannot be read means "everything", so a
    /// tag this version does not know still invalidates.
    pub fn parse(tag: &str) -> Change {
        Change::try_parse(tag).unwrap_or(Change::Everything)
    }

    fn try_parse(tag: &str) -> Option<Change> {
        let (kind, rest) = tag.split_once(':')?;
        let id = |s: &str| uuid::Uuid::parse_str(s).ok();
        Some(match kind {
            "u" => Change::User(UserId::from_uuid(id(rest)?)),
            "s" => Change::Session(SessionId::from_uuid(id(rest)?)),
            "k" => Change::ApiKey(ApiKeyId::from_uuid(id(rest)?)),
            "o" => Change::Organization(OrganizationId::from_uuid(id(rest)?)),
            "r" => Change::Roles(OrganizationId::from_uuid(id(rest)?)),
            "p" => Change::Projects(OrganizationId::from_uuid(id(rest)?)),
            "m" => {
                let (org, user) = rest.split_once(':')?;
                Change::Membership(
                    OrganizationId::from_uuid(id(org)?),
                    UserId::from_uuid(id(user)?),
                )
            }
            _ => return None,
        })
    }

    /// Every change in a `NOTIFY` payload (tags separated by spaces; `*` is everything). A
    /// listener's heartbeat ([`HEARTBEAT_PREFIX`]) names no change.
    pub fn parse_payload(payload: &str) -> Vec<Change> {
        if payload.starts_with(HEARTBEAT_PREFIX) {
            return Vec::new();
        }
        payload
            .split(' ')
            .filter(|tag| !tag.is_empty())
            .map(|tag| match tag {
                "*" => Change::Everything,
                tag => Change::parse(tag),
            })
            .collect()
    }
}

/// Who hears of committed changes in this process (the read cache).
pub type Subscriber = Arc<dyn Fn(&[Change]) + Send + Sync>;

/// The process's end of the feed: its subscriber, and (SQLite) how far it has read.
#[derive(Default)]
pub struct ChangeFeed {
    subscriber: OnceLock<Subscriber>,
    /// SQLite: the last `cache_changes` row handed on (`None`: not read yet; the first read
    /// starts at the end, as a process that has just started caches nothing).
    sqlite_seen: Mutex<Option<i64>>,
}

impl ChangeFeed {
    /// Sets who hears of changes; only the first call counts.
    pub fn subscribe(&self, subscriber: Subscriber) -> bool {
        self.subscriber.set(subscriber).is_ok()
    }

    pub fn has_subscriber(&self) -> bool {
        self.subscriber.get().is_some()
    }

    /// Hands committed changes to the subscriber.
    pub fn publish(&self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        if let Some(subscriber) = self.subscriber.get() {
            subscriber(changes);
        }
    }

    /// SQLite: hands on every change committed since the last call, by this process or another.
    pub fn catch_up_sqlite(&self, conn: &mut SqliteConnection) -> Result<(), StoreError> {
        let mut seen = self.sqlite_seen.lock().unwrap_or_else(|p| p.into_inner());
        let after = match *seen {
            Some(after) => after,
            None => {
                // Whatever was kept before this first look may predate changes it cannot see.
                *seen = Some(last_sqlite_change(conn)?);
                self.publish(&[Change::Everything]);
                return Ok(());
            }
        };
        let rows: Vec<FedRow> =
            diesel::sql_query("SELECT id, tag FROM cache_changes WHERE id > ? ORDER BY id")
                .bind::<BigInt, _>(after)
                .load(conn)?;
        if let Some(last) = rows.last() {
            *seen = Some(last.id);
        }
        let changes: Vec<Change> = rows.iter().map(|row| Change::parse(&row.tag)).collect();
        self.publish(&changes);
        Ok(())
    }
}

#[derive(QueryableByName)]
struct FedRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    tag: String,
}

#[derive(QueryableByName)]
struct Tag {
    #[diesel(sql_type = Text)]
    tag: String,
}

#[derive(QueryableByName)]
struct Last {
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    id: Option<i64>,
}

fn last_sqlite_change(conn: &mut SqliteConnection) -> Result<i64, StoreError> {
    let last: Last =
        diesel::sql_query("SELECT max(id) AS id FROM cache_changes").get_result(conn)?;
    Ok(last.id.unwrap_or(0))
}

/// PostgreSQL, inside a write transaction: takes out the rows its triggers wrote and announces
/// them to the other instances (delivered when, and only if, the transaction commits).
pub(crate) fn take_own_pg(conn: &mut PgConnection) -> Result<Vec<Change>, StoreError> {
    // A transaction that wrote nothing has no transaction id (asking for one would assign it
    // one: a cost, and wraparound pressure), and wrote no changes either.
    let tags: Vec<Tag> = diesel::sql_query(
        "DELETE FROM cache_changes WHERE tx = txid_current_if_assigned() RETURNING tag",
    )
    .load(conn)?;
    announce(conn, tags)
}

/// PostgreSQL: takes out rows left by writes made outside Roster (psql, a migration) and
/// announces them like a writer would. Roster's own writers never leave rows behind.
pub fn take_leftovers_pg(conn: &mut PgConnection) -> Result<Vec<Change>, StoreError> {
    conn.transaction(|tx| {
        let tags: Vec<Tag> =
            diesel::sql_query("DELETE FROM cache_changes RETURNING tag").load(tx)?;
        announce(tx, tags)
    })
}

/// PostgreSQL: a heartbeat on the channel, for the listener that sends it to hear.
pub fn send_heartbeat(conn: &mut PgConnection, payload: &str) -> Result<(), StoreError> {
    diesel::sql_query("SELECT pg_notify($1, $2)")
        .bind::<Text, _>(CHANNEL)
        .bind::<Text, _>(payload)
        .execute(conn)?;
    Ok(())
}

/// Sends `NOTIFY`s for `tags` (deduplicated; many become one "everything") and returns them.
fn announce(conn: &mut PgConnection, tags: Vec<Tag>) -> Result<Vec<Change>, StoreError> {
    if tags.is_empty() {
        return Ok(Vec::new());
    }
    let mut tags: Vec<String> = tags.into_iter().map(|t| t.tag).collect();
    tags.sort_unstable();
    tags.dedup();
    let (payloads, changes) = if tags.len() > MOST_ANNOUNCED {
        (vec!["*".to_owned()], vec![Change::Everything])
    } else {
        let changes = tags.iter().map(|tag| Change::parse(tag)).collect();
        (payloads(&tags), changes)
    };
    for payload in payloads {
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<Text, _>(CHANNEL)
            .bind::<Text, _>(payload)
            .execute(conn)?;
    }
    Ok(changes)
}

/// Tags joined by spaces, in payloads under the `NOTIFY` size limit.
fn payloads(tags: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for tag in tags {
        if !current.is_empty() && current.len() + 1 + tag.len() > PAYLOAD_BYTES {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(tag);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// SQLite: forgets changes older than a minute (every process reading the feed reads it far
/// more often than that).
pub fn prune_sqlite(conn: &mut SqliteConnection) -> Result<usize, StoreError> {
    Ok(diesel::sql_query(
        "DELETE FROM cache_changes WHERE at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-60 seconds')",
    )
    .execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_read_back_as_the_changes_they_name() {
        let org = uuid::Uuid::now_v7();
        let user = uuid::Uuid::now_v7();
        assert_eq!(
            Change::parse(&format!("m:{org}:{user}")),
            Change::Membership(OrganizationId::from_uuid(org), UserId::from_uuid(user))
        );
        assert_eq!(
            Change::parse(&format!("u:{user}")),
            Change::User(UserId::from_uuid(user))
        );
        assert_eq!(
            Change::parse(&format!("p:{org}")),
            Change::Projects(OrganizationId::from_uuid(org))
        );
        assert_eq!(Change::parse("x:whatever"), Change::Everything);
        assert_eq!(Change::parse("u:not-a-uuid"), Change::Everything);
        assert_eq!(
            Change::parse_payload(&format!("* o:{org}")),
            vec![
                Change::Everything,
                Change::Organization(OrganizationId::from_uuid(org))
            ]
        );
    }

    #[test]
    fn payloads_stay_under_the_notify_limit() {
        let tags: Vec<String> = (0..400)
            .map(|_| format!("m:{}:{}", uuid::Uuid::now_v7(), uuid::Uuid::now_v7()))
            .collect();
        let out = payloads(&tags);
        assert!(out.len() > 1);
        assert!(out.iter().all(|p| p.len() <= PAYLOAD_BYTES));
        let back: Vec<&str> = out.iter().flat_map(|p| p.split(' ')).collect();
        assert_eq!(back, tags.iter().map(String::as_str).collect::<Vec<_>>());
    }
}
