//! The `account_tokens` table: one-time tokens mailed to a user (email verification, password
//! reset), stored as their SHA-256.

use diesel::prelude::*;

use roster_domain::UserId;

use crate::schema::account_tokens;
use crate::{DbConn, DbId, StoreError, Ts};

/// What a token is for.
pub mod purpose {
    pub const VERIFY_EMAIL: &str = "verify_email";
    pub const PASSWORD_RESET: &str = "password_reset";
}

/// One token. Holds only the hash of the secret.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = account_tokens)]
pub struct AccountTokenRow {
    pub id: DbId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub user_id: UserId,
    pub purpose: String,
    /// The address the token was mailed to.
    pub email: String,
    pub token_hash: Vec<u8>,
    pub expires_at: Ts,
    pub used_at: Option<Ts>,
    pub created_at: Ts,
}

pub fn insert(conn: &mut DbConn, row: &AccountTokenRow) -> Result<(), StoreError> {
    diesel::insert_into(account_tokens::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The token with this hash and purpose, used or not.
pub fn find(
    conn: &mut DbConn,
    purpose: &str,
    token_hash: &[u8],
) -> Result<Option<AccountTokenRow>, StoreError> {
    Ok(account_tokens::table
        .filter(account_tokens::token_hash.eq(token_hash))
        .filter(account_tokens::purpose.eq(purpose))
        .select(AccountTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Uses the token: true for the one caller that finds it unused and unexpired (two at once:
/// the row lock orders them, and the second finds `used_at` set).
pub fn consume(conn: &mut DbConn, id: DbId, now: Ts) -> Result<bool, StoreError> {
    let used = diesel::update(
        account_tokens::table
            .filter(account_tokens::id.eq(id))
            .filter(account_tokens::used_at.is_null())
            .filter(account_tokens::expires_at.gt(now)),
    )
    .set(account_tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(used == 1)
}

/// Ends every open token of `user` for `purpose` (a newer one replaces them, or what they
/// were for has happened).
pub fn end_all(
    conn: &mut DbConn,
    user: UserId,
    purpose: &str,
    now: Ts,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(DbId::from(user)))
            .filter(account_tokens::purpose.eq(purpose))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(Some(now)))
    .execute(conn)?)
}

/// Forgets tokens that expired before `before`.
pub fn purge(conn: &mut DbConn, before: Ts) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(account_tokens::table.filter(account_tokens::expires_at.lt(before)))
            .execute(conn)?,
    )
}

/// Gives an open token a new hash (its message is sent with a newly minted token); false when
/// it is used or expired.
pub fn replace_hash(
    conn: &mut DbConn,
    id: DbId,
    token_hash: &[u8],
    now: Ts,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        account_tokens::table
            .filter(account_tokens::id.eq(id))
            .filter(account_tokens::used_at.is_null())
            .filter(account_tokens::expires_at.gt(now)),
    )
    .set(account_tokens::token_hash.eq(token_hash))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The token with this id.
pub fn find_by_id(conn: &mut DbConn, id: DbId) -> Result<Option<AccountTokenRow>, StoreError> {
    Ok(account_tokens::table
        .find(id)
        .select(AccountTokenRow::as_select())
        .first(conn)
        .optional()?)
}
