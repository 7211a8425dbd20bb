//! The `rate_hits` table: requests let through, per bucket, for sliding-window throttling.

use diesel::prelude::*;

use crate::schema::rate_hits;
use crate::{DbConn, DbId, StoreError, Ts};

/// The times of the newest hits of `bucket` since `since`, newest first, at most `limit`.
pub fn recent(
    conn: &mut DbConn,
    bucket: &str,
    since: Ts,
    limit: i64,
) -> Result<Vec<Ts>, StoreError> {
    Ok(rate_hits::table
        .filter(rate_hits::bucket.eq(bucket))
        .filter(rate_hits::hit_at.gt(since))
        .order(rate_hits::hit_at.desc())
        .limit(limit)
        .select(rate_hits::hit_at)
        .load(conn)?)
}

pub fn record(conn: &mut DbConn, bucket: &str, at: Ts) -> Result<(), StoreError> {
    diesel::insert_into(rate_hits::table)
        .values((
            rate_hits::id.eq(DbId(uuid::Uuid::now_v7())),
            rate_hits::bucket.eq(bucket),
            rate_hits::hit_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets hits older than `before`.
pub fn purge(conn: &mut DbConn, before: Ts) -> Result<usize, StoreError> {
    Ok(diesel::delete(rate_hits::table.filter(rate_hits::hit_at.lt(before))).execute(conn)?)
}
