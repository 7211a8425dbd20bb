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

/// Stores the response of the request that claimed the key at `claimed_at`. False when that
/// claim is no longer there (abandoned, and taken over by a retry): the caller must not keep
/// its work, or it would be done twice.
pub fn complete(
    conn: &mut DbConn,
    scope: &str,
    key: &str,
    claimed_at: Ts,
    status: i32,
    headers: JsonValue,
    body: Vec<u8>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(idempotency_keys::table.find((scope, key)))
        .filter(idempotency_keys::created_at.eq(claimed_at))
        .filter(idempotency_keys::status.is_null())
        .set((
            idempotency_keys::status.eq(Some(status)),
            idempotency_keys::response_headers.eq(Some(headers)),
            idempotency_keys::response_body.eq(Some(body)),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Gives up the claim made at `claimed_at` (the request did not change anything); a later
/// claim of the same key by a retry is left alone.
pub fn release(
    conn: &mut DbConn,
    scope: &str,
    key: &str,
    claimed_at: Ts,
) -> Result<(), StoreError> {
    diesel::delete(
        idempotency_keys::table
            .find((scope, key))
            .filter(idempotency_keys::created_at.eq(claimed_at))
            .filter(idempotency_keys::status.is_null()),
    )
    .execute(conn)?;
    Ok(())
}

/// Forgets keys past their lifetime.
pub fn purge(conn: &mut DbConn, expired_before: Ts) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        idempotency_keys::table.filter(idempotency_keys::created_at.lt(expired_before)),
    )
    .execute(conn)?)
}
