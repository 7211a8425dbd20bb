//! The `events` table (the audit log) and the counters that number its entries.

use diesel::prelude::*;
use roster_domain::{ApiKeyId, EventId, OrganizationId, UserId};

use crate::schema::{event_counters, events};
use crate::{per_backend, DbConn, DbId, JsonValue, MultiBackend, NullableDbId, StoreError, Ts};

/// Who caused an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User {
        id: UserId,
        email: String,
    },
    /// An API key (of an organization, or someone's personal one).
    ApiKey {
        id: ApiKeyId,
    },
    /// Roster itself, or its operator at the command line.
    System,
}

/// An event to append; the store numbers it.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub id: EventId,
    pub kind: String,
    pub organization_id: Option<OrganizationId>,
    pub actor: Actor,
    pub target_type: &'static str,
    pub target_id: String,
    pub data: serde_json::Value,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: Ts,
}

/// A stored event.
#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = events)]
pub struct EventRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub id: EventId,
    /// Its place in the whole log, given by the sequencer after it commits ([`sequence`]);
    /// `None` until then.
    pub position: Option<i64>,
    pub stream: DbId,
    pub sequence: i64,
    pub kind: String,
    #[diesel(serialize_as = NullableDbId, deserialize_as = NullableDbId)]
    pub organization_id: Option<OrganizationId>,
    pub actor_type: String,
    /// The user's or the API key's id, as `actor_type` says.
    pub actor_id: NullableDbId,
    pub actor_email: Option<String>,
    pub target_type: String,
    pub target_id: String,
    pub data: JsonValue,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: Ts,
}

impl EventRow {
    pub fn actor(&self) -> Actor {
        match (self.actor_type.as_str(), self.actor_id.0, &self.actor_email) {
            ("user", Some(id), Some(email)) => Actor::User {
                id: id.into(),
                email: email.clone(),
            },
            ("api_key", Some(id), _) => Actor::ApiKey { id: id.into() },
            _ => Actor::System,
        }
    }
}

/// The stream of events outside any organization (users, sessions).
fn platform_stream() -> DbId {
    DbId(uuid::Uuid::nil())
}

fn stream_of(organization: Option<OrganizationId>) -> DbId {
    organization.map_or_else(platform_stream, DbId::from)
}

/// Counts `n` more under `name` and returns the new last value. The counter's row stays locked
/// until the transaction ends, so whoever counts next waits for this commit (or rollback):
/// numbers are handed out without gaps, in commit order.
fn advance(conn: &mut DbConn, name: &str, n: i64) -> Result<i64, StoreError> {
    let last = per_backend!(conn, |c| diesel::insert_into(event_counters::table)
        .values((event_counters::name.eq(name), event_counters::last.eq(n)))
        .on_conflict(event_counters::name)
        .do_update()
        .set(event_counters::last.eq(event_counters::last + n))
        .returning(event_counters::last)
        .get_result::<i64>(c))?;
    Ok(last)
}

/// Appends `new` events in this order, numbering them in their streams. Call it last in a
/// transaction: a stream's counter stays locked until it commits. Streams are locked in a
/// fixed order (by id), so two writers never wait on each other in a cycle. The global
/// `position` is left to the sequencer ([`sequence`]): no counter shared by every writer.
pub fn append(conn: &mut DbConn, new: Vec<NewEvent>) -> Result<Vec<EventRow>, StoreError> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let mut streams: Vec<DbId> = new.iter().map(|e| stream_of(e.organization_id)).collect();
    streams.sort();
    streams.dedup();
    let mut next_sequence = std::collections::HashMap::new();
    for stream in streams {
        let count = new
            .iter()
            .filter(|e| stream_of(e.organization_id) == stream)
            .count() as i64;
        let last = advance(conn, &format!("stream:{}", stream.0), count)?;
        next_sequence.insert(stream, last - count + 1);
    }
    let mut rows = Vec::with_capacity(new.len());
    for event in new {
        let stream = stream_of(event.organization_id);
        let sequence = next_sequence.get(&stream).copied().unwrap_or(1);
        next_sequence.insert(stream, sequence + 1);
        let (actor_type, actor_id, actor_email) = match event.actor {
            Actor::User { id, email } => ("user", Some(DbId::from(id)), Some(email)),
            Actor::ApiKey { id } => ("api_key", Some(DbId::from(id)), None),
            Actor::System => ("system", None, None),
        };
        let row = EventRow {
            id: event.id,
            position: None,
            stream,
            sequence,
            kind: event.kind,
            organization_id: event.organization_id,
            actor_type: actor_type.to_owned(),
            actor_id: NullableDbId(actor_id),
            actor_email,
            target_type: event.target_type.to_owned(),
            target_id: event.target_id,
            data: JsonValue(event.data),
            request_id: event.request_id,
            ip: event.ip,
            user_agent: event.user_agent,
            created_at: event.created_at,
        };
        rows.push(row);
    }
    // A request records one to a few events, a sweep more: one statement for them all.
    crate::insert_all!(conn, events::table, rows);
    Ok(rows)
}

/// Whether committed events wait for their position (cheap: a partial index holds only them).
pub fn any_unsequenced(conn: &mut DbConn) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        events::table.filter(events::position.is_null()),
    ))
    .get_result(conn)?)
}

/// The sequencer: gives up to `limit` committed events without a position the next positions,
/// in id order, and returns them. Run it in a write transaction of its own (or one that does
/// nothing else that takes long). Batches are numbered one at a time (an advisory lock on
/// PostgreSQL; SQLite has one writer), each after the last has committed, so positions have no
/// gaps and a batch becomes visible whole: a reader paging by position never skips an event,
/// however late its transaction committed.
pub fn sequence(conn: &mut DbConn, limit: i64) -> Result<Vec<EventRow>, StoreError> {
    if let DbConn::Pg(c) = conn {
        // Any constant will do, as long as nothing else uses it: "roster:events" in ASCII.
        diesel::sql_query("SELECT pg_advisory_xact_lock(8245934753729234034)").execute(c)?;
    }
    let last: Option<i64> = events::table
        .select(diesel::dsl::max(events::position))
        .get_result(conn)?;
    let first = last.unwrap_or(0) + 1;
    // One statement numbers the whole batch, in id order (both databases have UPDATE … FROM
    // and window functions): a statement per event kept the lock, and PostgreSQL, busy.
    let numbered = diesel::sql_query(
        "UPDATE events SET position = numbered.position \
         FROM (SELECT id, $1 + row_number() OVER (ORDER BY id) - 1 AS position \
               FROM events WHERE position IS NULL ORDER BY id LIMIT $2) AS numbered \
         WHERE events.id = numbered.id",
    )
    .bind::<diesel::sql_types::BigInt, _>(first)
    .bind::<diesel::sql_types::BigInt, _>(limit);
    let count = match conn {
        DbConn::Pg(c) => numbered.execute(c)?,
        DbConn::Sqlite(c) => numbered.execute(c)?,
    };
    if count == 0 {
        return Ok(Vec::new());
    }
    Ok(events::table
        .filter(events::position.ge(first))
        .filter(events::position.lt(first + count as i64))
        .order(events::position.asc())
        .select(EventRow::as_select())
        .load(conn)?)
}

/// Events by id (for webhook messages).
pub fn find_many(conn: &mut DbConn, ids: &[EventId]) -> Result<Vec<EventRow>, StoreError> {
    let ids: Vec<DbId> = ids.iter().map(|id| DbId::from(*id)).collect();
    Ok(events::table
        .filter(events::id.eq_any(ids))
        .select(EventRow::as_select())
        .load(conn)?)
}

/// Which events to list.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Exactly this type, or with `prefix`, every type starting with it.
    pub kind: Option<KindFilter>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindFilter {
    Exactly(String),
    /// Types that start with this (e.g. `membership.`).
    Prefix(String),
}

type EventQuery = events::BoxedQuery<'static, MultiBackend>;

fn with_kind(mut query: EventQuery, filter: &EventFilter) -> EventQuery {
    match &filter.kind {
        Some(KindFilter::Exactly(kind)) => query = query.filter(events::kind.eq(kind.clone())),
        Some(KindFilter::Prefix(prefix)) => {
            query = query.filter(events::kind.like(crate::like_prefix(prefix)).escape('\\'))
        }
        None => {}
    }
    query
}

/// One page of an organization's events, oldest first, after `sequence` `after`.
pub fn list_organization(
    conn: &mut DbConn,
    organization: OrganizationId,
    filter: &EventFilter,
    after: i64,
    limit: i64,
) -> Result<Vec<EventRow>, StoreError> {
    let query = events::table
        .filter(events::stream.eq(DbId::from(organization)))
        .filter(events::sequence.gt(after))
        .into_boxed();
    Ok(with_kind(query, filter)
        .order(events::sequence.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?)
}

/// One page of every event (or one organization's), oldest first, after `position` `after`.
pub fn list_all(
    conn: &mut DbConn,
    organization: Option<OrganizationId>,
    filter: &EventFilter,
    after: i64,
    limit: i64,
) -> Result<Vec<EventRow>, StoreError> {
    // Events not yet sequenced have no position and are not listed until they have one.
    let mut query = events::table
        .filter(events::position.gt(after))
        .into_boxed();
    if let Some(organization) = organization {
        query = query.filter(events::organization_id.eq(DbId::from(organization)));
    }
    Ok(with_kind(query, filter)
        .order(events::position.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?)
}
