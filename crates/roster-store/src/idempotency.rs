//! The `idempotency_keys` table: first responses to POSTs, replayed for retries.

use diesel::prelude::*;

use crate::schema::idempotency_keys;
use crate::{per_backend, DbConn, JsonValue, StoreError, Ts};

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    pub scope: String,
    pub key: String,
    pub request_hash: Vec<u8>,
    pub status: Option<i32>,
    pub response_headers: Option<JsonValue>,
    pub response_body: Option<Vec<u8>>,
    pub created_at: Ts,
}

/// What claiming a key found.
pub enum Claim {
    /// The key is ours: run the request, then [`complete`] or [`release`] it.
    Claimed,
    /// Someone used this key before (possibly still running).
    Existing(Box<IdempotencyRow>),
}

/// Claims `(scope, key)` for a new request, or returns the row already there. Rows older than
/// `expired_before`, and claims still unfinished from before `abandoned_before`, no longer count
/// and are replaced.
pub fn claim(
    conn: &mut DbConn,
    row: &IdempotencyRow,
    expired_before: Ts,
    abandoned_before: Ts,
) -> Result<Claim, StoreError> {
    let stale = idempotency_keys::created_at
        .lt(expired_before)
        .or(idempotency_keys::status
            .is_null()
            .and(idempotency_keys::created_at.lt(abandoned_before)));
    diesel::delete(
        idempotency_keys::table
            .find((&row.scope, &row.key))
            .filter(stale),
    )
    .execute(conn)?;
    let inserted = per_backend!(conn, |c| diesel::insert_into(idempotency_keys::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted == 1 {
        return Ok(Claim::Claimed);
    }
    let existing = idempotency_keys::table
        .find((&row.scope, &row.key))
        .select(IdempotencyRow::as_select())
        .first(conn)?;
    Ok(Claim::Existing(Box::new(existing)))
}

/// Stores the response of the request that claimed the key.
pub fn complete(
    conn: &mut DbConn,
    scope: &str,
    key: &str,
    status: i32,
    headers: JsonValue,
    body: Vec<u8>,
) -> Result<(), StoreError> {
    diesel::update(idempotency_keys::table.find((scope, key)))
        .set((
            idempotency_keys::status.eq(Some(status)),
            idempotency_keys::response_headers.eq(Some(headers)),
            idempotency_keys::response_body.eq(Some(body)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives the key up (the request failed in a way a retry may fix).
pub fn release(conn: &mut DbConn, scope: &str, key: &str) -> Result<(), StoreError> {
    diesel::delete(idempotency_keys::table.find((scope, key))).execute(conn)?;
    Ok(())
}

/// Forgets keys past their lifetime.
pub fn purge(conn: &mut DbConn, expired_before: Ts) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        idempotency_keys::table.filter(idempotency_keys::created_at.lt(expired_before)),
    )
    .execute(conn)?)
}
