//! The `webhook_endpoints`, `webhook_deliveries` and `webhook_attempts` tables: where events
//! are sent, each event on its way to each endpoint, and every try.

use diesel::prelude::*;
use roster_domain::{DeliveryId, EventId, OrganizationId, WebhookId};

use crate::schema::{webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::{DbConn, DbId, JsonValue, NullableDbId, StoreError, Ts};

/// An endpoint. Its secrets are sealed when the server has a key-encryption key; there is no
/// `Debug`, so that they are never logged.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone)]
#[diesel(table_name = webhook_endpoints, treat_none_as_null = true)]
pub struct EndpointRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub id: WebhookId,
    pub url: String,
    pub description: Option<String>,
    /// Type patterns (`membership.*`, `organization.created`); empty: every type.
    #[diesel(serialize_as = JsonValue, deserialize_as = JsonValue)]
    pub event_types: Vec<String>,
    #[diesel(serialize_as = NullableDbId, deserialize_as = NullableDbId)]
    pub organization_id: Option<OrganizationId>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub secret: Vec<u8>,
    pub previous_secret: Option<Vec<u8>>,
    pub previous_secret_until: Option<Ts>,
    pub failing_since: Option<Ts>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl EndpointRow {
    /// Whether an event of `kind` in `organization` goes to this endpoint.
    pub fn wants(&self, kind: &str, organization: Option<OrganizationId>) -> bool {
        if self
            .organization_id
            .is_some_and(|only| organization != Some(only))
        {
            return false;
        }
        self.event_types.is_empty()
            || self
                .event_types
                .iter()
                .any(|pattern| match pattern.strip_suffix('*') {
                    Some(prefix) => kind.starts_with(prefix),
                    None => pattern == kind,
                })
    }
}

pub fn insert_endpoint(conn: &mut DbConn, row: &EndpointRow) -> Result<(), StoreError> {
    diesel::insert_into(webhook_endpoints::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Saves every column of `row` (found by its id).
pub fn save_endpoint(conn: &mut DbConn, row: &EndpointRow) -> Result<(), StoreError> {
    diesel::update(webhook_endpoints::table.find(DbId::from(row.id)))
        .set(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find_endpoint(conn: &mut DbConn, id: WebhookId) -> Result<Option<EndpointRow>, StoreError> {
    Ok(webhook_endpoints::table
        .find(DbId::from(id))
        .select(EndpointRow::as_select())
        .first(conn)
        .optional()?)
}

/// The endpoint, locked until the transaction ends (PostgreSQL; SQLite has one writer).
pub fn lock_endpoint(conn: &mut DbConn, id: WebhookId) -> Result<Option<EndpointRow>, StoreError> {
    let key = DbId::from(id);
    Ok(match conn {
        DbConn::Pg(c) => webhook_endpoints::table
            .find(key)
            .select(EndpointRow::as_select())
            .for_no_key_update()
            .first(c)
            .optional()?,
        DbConn::Sqlite(c) => webhook_endpoints::table
            .find(key)
            .select(EndpointRow::as_select())
            .first(c)
            .optional()?,
    })
}

/// A page of endpoints, oldest first, after `after`.
pub fn list_endpoints(
    conn: &mut DbConn,
    after: Option<WebhookId>,
    limit: i64,
) -> Result<Vec<EndpointRow>, StoreError> {
    let mut query = webhook_endpoints::table.into_boxed();
    if let Some(after) = after {
        query = query.filter(webhook_endpoints::id.gt(DbId::from(after)));
    }
    Ok(query
        .order(webhook_endpoints::id.asc())
        .limit(limit)
        .select(EndpointRow::as_select())
        .load(conn)?)
}

pub fn count_endpoints(conn: &mut DbConn) -> Result<i64, StoreError> {
    Ok(webhook_endpoints::table.count().get_result(conn)?)
}

/// The endpoints events go to now.
pub fn enabled_endpoints(conn: &mut DbConn) -> Result<Vec<EndpointRow>, StoreError> {
    Ok(webhook_endpoints::table
        .filter(webhook_endpoints::enabled.eq(true))
        .select(EndpointRow::as_select())
        .load(conn)?)
}

pub fn delete_endpoint(conn: &mut DbConn, id: WebhookId) -> Result<bool, StoreError> {
    Ok(diesel::delete(webhook_endpoints::table.find(DbId::from(id))).execute(conn)? > 0)
}

/// A delivery's state.
pub mod status {
    pub const PENDING: &str = "pending";
    pub const SUCCEEDED: &str = "succeeded";
    pub const FAILED: &str = "failed";
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub id: DeliveryId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub endpoint_id: WebhookId,
    #[diesel(serialize_as = NullableDbId, deserialize_as = NullableDbId)]
    pub event_id: Option<EventId>,
    pub event_type: String,
    /// The message's `data` when there is no event (the test message).
    pub payload: Option<JsonValue>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: Option<Ts>,
    pub leased_by: NullableDbId,
    pub leased_until: Option<Ts>,
    pub last_response_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: Ts,
    pub delivered_at: Option<Ts>,
}

impl DeliveryRow {
    /// A delivery due now, never tried.
    pub fn new(
        endpoint: WebhookId,
        event: Option<EventId>,
        event_type: &str,
        payload: Option<serde_json::Value>,
        now: Ts,
    ) -> DeliveryRow {
        DeliveryRow {
            id: DeliveryId::new(),
            endpoint_id: endpoint,
            event_id: event,
            event_type: event_type.to_owned(),
            payload: payload.map(JsonValue),
            status: status::PENDING.to_owned(),
            attempts: 0,
            next_attempt_at: Some(now),
            leased_by: NullableDbId(None),
            leased_until: None,
            last_response_status: None,
            last_error: None,
            created_at: now,
            delivered_at: None,
        }
    }
}

pub fn insert_deliveries(conn: &mut DbConn, rows: &[DeliveryRow]) -> Result<(), StoreError> {
    // The sequencer queues a batch at a time: one statement for it, not one per delivery.
    crate::insert_all!(conn, webhook_deliveries::table, rows);
    Ok(())
}

pub fn find_delivery(
    conn: &mut DbConn,
    endpoint: WebhookId,
    id: DeliveryId,
) -> Result<Option<DeliveryRow>, StoreError> {
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::id.eq(DbId::from(id)))
        .filter(webhook_deliveries::endpoint_id.eq(DbId::from(endpoint)))
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()?)
}

/// A page of an endpoint's deliveries, newest first, before `before`.
pub fn list_deliveries(
    conn: &mut DbConn,
    endpoint: WebhookId,
    status: Option<&str>,
    before: Option<DeliveryId>,
    limit: i64,
) -> Result<Vec<DeliveryRow>, StoreError> {
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(DbId::from(endpoint)))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(webhook_deliveries::status.eq(status.to_owned()));
    }
    if let Some(before) = before {
        query = query.filter(webhook_deliveries::id.lt(DbId::from(before)));
    }
    Ok(query
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .select(DeliveryRow::as_select())
        .load(conn)?)
}

/// Claims up to `limit` deliveries that are due at `now` and not held by a live claim, for
/// `holder` until `until`. On PostgreSQL, rows another instance is claiming at this moment are
/// skipped (`FOR UPDATE SKIP LOCKED`), so instances never wait on each other; the row locks last
/// only this short transaction, never the HTTP call.
pub fn claim_due(
    conn: &mut DbConn,
    now: Ts,
    holder: uuid::Uuid,
    until: Ts,
    limit: i64,
) -> Result<Vec<DeliveryRow>, StoreError> {
    commit_without_waiting_for_disk(conn)?;
    let due = webhook_deliveries::table
        .filter(webhook_deliveries::status.eq(status::PENDING))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .filter(
            webhook_deliveries::leased_until
                .is_null()
                .or(webhook_deliveries::leased_until.lt(now)),
        )
        .order(webhook_deliveries::next_attempt_at.asc())
        .limit(limit)
        .select(webhook_deliveries::id);
    let ids: Vec<DbId> = match conn {
        DbConn::Pg(c) => due.for_update().skip_locked().load(c)?,
        DbConn::Sqlite(c) => due.load(c)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)))
        .set((
            webhook_deliveries::leased_by.eq(NullableDbId(Some(DbId(holder)))),
            webhook_deliveries::leased_until.eq(Some(until)),
        ))
        .execute(conn)?;
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::id.eq_any(&ids))
        .order(webhook_deliveries::next_attempt_at.asc())
        .select(DeliveryRow::as_select())
        .load(conn)?)
}

/// How one attempt ended, as the delivery keeps it.
#[derive(Debug, Clone)]
pub struct AttemptOutcome {
    pub started_at: Ts,
    pub duration_ms: i64,
    pub response_status: Option<i32>,
    pub error: Option<String>,
    /// `succeeded`, or `pending` with the next attempt's time, or `failed`.
    pub status: &'static str,
    pub next_attempt_at: Option<Ts>,
}

/// Records an attempt made under `holder`'s claim and releases it. Returns the attempt's
/// number, or `None` when the claim was no longer `holder`'s (it expired and another instance
/// took the delivery, or someone asked for a retry): the newer claim decides.
pub fn finish_attempt(
    conn: &mut DbConn,
    id: DeliveryId,
    holder: uuid::Uuid,
    outcome: &AttemptOutcome,
    now: Ts,
) -> Result<Option<i32>, StoreError> {
    commit_without_waiting_for_disk(conn)?;
    let delivered_at = (outcome.status == status::SUCCEEDED).then_some(now);
    let number: Option<i32> = diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq(DbId::from(id)))
            .filter(webhook_deliveries::leased_by.eq(NullableDbId(Some(DbId(holder))))),
    )
    .set((
        webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
        webhook_deliveries::status.eq(outcome.status),
        webhook_deliveries::next_attempt_at.eq(outcome.next_attempt_at),
        webhook_deliveries::leased_by.eq(NullableDbId(None)),
        webhook_deliveries::leased_until.eq(None::<Ts>),
        webhook_deliveries::last_response_status.eq(outcome.response_status),
        webhook_deliveries::last_error.eq(outcome.error.clone()),
        webhook_deliveries::delivered_at.eq(delivered_at),
    ))
    .returning(webhook_deliveries::attempts)
    .get_result(conn)
    .optional()?;
    if let Some(number) = number {
        diesel::insert_into(webhook_attempts::table)
            .values((
                webhook_attempts::delivery_id.eq(DbId::from(id)),
                webhook_attempts::number.eq(number),
                webhook_attempts::started_at.eq(outcome.started_at),
                webhook_attempts::duration_ms.eq(outcome.duration_ms),
                webhook_attempts::response_status.eq(outcome.response_status),
                webhook_attempts::error.eq(outcome.error.clone()),
            ))
            .execute(conn)?;
    }
    Ok(number)
}

/// Makes a delivery due now, whatever its state; a claim in flight loses its say.
pub fn retry_now(conn: &mut DbConn, id: DeliveryId, now: Ts) -> Result<(), StoreError> {
    diesel::update(webhook_deliveries::table.find(DbId::from(id)))
        .set((
            webhook_deliveries::status.eq(status::PENDING),
            webhook_deliveries::next_attempt_at.eq(Some(now)),
            webhook_deliveries::leased_by.eq(NullableDbId(None)),
            webhook_deliveries::leased_until.eq(None::<Ts>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives back the claims `holder` still holds (an instance shutting down): the deliveries are
/// due again at once, elsewhere.
pub fn release_claims(conn: &mut DbConn, holder: uuid::Uuid) -> Result<usize, StoreError> {
    Ok(diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::leased_by.eq(NullableDbId(Some(DbId(holder))))),
    )
    .set((
        webhook_deliveries::leased_by.eq(NullableDbId(None)),
        webhook_deliveries::leased_until.eq(None::<Ts>),
    ))
    .execute(conn)?)
}

/// Whether `endpoint` has succeeded with any delivery since `since`.
pub fn succeeded_since(
    conn: &mut DbConn,
    endpoint: WebhookId,
    since: Ts,
) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq(DbId::from(endpoint)))
            .filter(webhook_deliveries::delivered_at.ge(since)),
    ))
    .get_result(conn)?)
}

/// When the oldest delivery still pending was created (for the lag metric).
pub fn oldest_pending(conn: &mut DbConn) -> Result<Option<Ts>, StoreError> {
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::status.eq(status::PENDING))
        .select(diesel::dsl::min(webhook_deliveries::created_at))
        .get_result(conn)?)
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = webhook_attempts)]
pub struct AttemptRow {
    pub number: i32,
    pub started_at: Ts,
    pub duration_ms: i64,
    pub response_status: Option<i32>,
    pub error: Option<String>,
}

/// A page of a delivery's attempts, in order, after number `after`.
pub fn list_attempts(
    conn: &mut DbConn,
    delivery: DeliveryId,
    after: i32,
    limit: i64,
) -> Result<Vec<AttemptRow>, StoreError> {
    Ok(webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq(DbId::from(delivery)))
        .filter(webhook_attempts::number.gt(after))
        .order(webhook_attempts::number.asc())
        .limit(limit)
        .select(AttemptRow::as_select())
        .load(conn)?)
}

/// Forgets attempts started before `before` (their deliveries keep their last outcome).
pub fn purge_attempts(conn: &mut DbConn, before: Ts) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(webhook_attempts::table.filter(webhook_attempts::started_at.lt(before)))
            .execute(conn)?,
    )
}

/// Forgets finished deliveries created before `before`, with their attempts.
pub fn purge_deliveries(conn: &mut DbConn, before: Ts) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        webhook_deliveries::table
            .filter(webhook_deliveries::status.ne(status::PENDING))
            .filter(webhook_deliveries::created_at.lt(before)),
    )
    .execute(conn)?)
}

/// Lets PostgreSQL answer this transaction's commit before its WAL is on disk. Only for the
/// dispatcher's bookkeeping (claims and attempts): a crash of the database may forget the last
/// moments of it, and then a message is claimed or sent again, which at-least-once delivery
/// allows; nothing an operation promised is written this way. It spares every attempt a wait
/// for the disk.
fn commit_without_waiting_for_disk(conn: &mut DbConn) -> Result<(), StoreError> {
    if let DbConn::Pg(c) = conn {
        diesel::sql_query("SET LOCAL synchronous_commit TO OFF").execute(c)?;
    }
    Ok(())
}
