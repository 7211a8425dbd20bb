//! The `login_failures` table: failed password sign-ins, counted in a sliding window.

use diesel::prelude::*;

use crate::schema::login_failures;
use crate::{DbConn, DbId, StoreError, Ts};

/// Records one failed sign-in for `account` from `address`.
pub fn record(conn: &mut DbConn, account: &str, address: &str, at: Ts) -> Result<(), StoreError> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(DbId(uuid::Uuid::now_v7())),
            login_failures::account.eq(account),
            login_failures::address.eq(address),
            login_failures::failed_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The times of the `limit` most recent failures since `since`, newest first: for `account`
/// from `address`, or (with `account` `None`) for any account from `address`.
pub fn recent(
    conn: &mut DbConn,
    account: Option<&str>,
    address: &str,
    since: Ts,
    limit: i64,
) -> Result<Vec<Ts>, StoreError> {
    let mut query = login_failures::table
        .filter(login_failures::address.eq(address))
        .filter(login_failures::failed_at.gt(since))
        .into_boxed();
    if let Some(account) = account {
        query = query.filter(login_failures::account.eq(account));
    }
    Ok(query
        .order(login_failures::failed_at.desc())
        .limit(limit)
        .select(login_failures::failed_at)
        .load(conn)?)
}

/// Forgets the failures of `account` from `address` (after it signed in there).
pub fn clear(conn: &mut DbConn, account: &str, address: &str) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        login_failures::table
            .filter(login_failures::account.eq(account))
            .filter(login_failures::address.eq(address)),
    )
    .execute(conn)?)
}

/// Forgets failures older than `before`: they no longer count in any window.
pub fn purge(conn: &mut DbConn, before: Ts) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(before)))
            .execute(conn)?,
    )
}
