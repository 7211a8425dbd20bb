//! The `refresh_tokens` table: SHA-256 hashes of refresh tokens, grouped in rotation families.

use diesel::prelude::*;

use crate::schema::refresh_tokens;
use crate::{DbConn, DbId, StoreError, Ts};

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: DbId,
    pub family_id: DbId,
    pub user_id: DbId,
    pub token_hash: Vec<u8>,
    pub organization_id: Option<DbId>,
    pub created_at: Ts,
    pub expires_at: Ts,
    pub used_at: Option<Ts>,
    pub revoked_at: Option<Ts>,
}

pub fn insert(conn: &mut DbConn, row: &RefreshTokenRow) -> Result<(), StoreError> {
    diesel::insert_into(refresh_tokens::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: DbId) -> Result<Option<RefreshTokenRow>, StoreError> {
    Ok(refresh_tokens::table
        .find(id)
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_hash(conn: &mut DbConn, hash: &[u8]) -> Result<Option<RefreshTokenRow>, StoreError> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a token rotated. Returns false when another request rotated it first.
pub fn mark_used(conn: &mut DbConn, id: DbId, at: Ts) -> Result<bool, StoreError> {
    let updated = diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(Some(at)))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Revokes every token of a family (logout, or a replayed token).
pub fn revoke_family(conn: &mut DbConn, family_id: DbId, at: Ts) -> Result<usize, StoreError> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(at)))
    .execute(conn)?)
}

/// Revokes all of a user's sessions except the family `keep` (the one changing the password).
pub fn revoke_user_sessions(
    conn: &mut DbConn,
    user_id: DbId,
    keep: Option<DbId>,
    at: Ts,
) -> Result<usize, StoreError> {
    let mut query = diesel::update(refresh_tokens::table)
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::revoked_at.is_null())
        .into_boxed();
    if let Some(family) = keep {
        query = query.filter(refresh_tokens::family_id.ne(family));
    }
    Ok(query
        .set(refresh_tokens::revoked_at.eq(Some(at)))
        .execute(conn)?)
}

/// Whether a sign-in session (a refresh-token family) is still live: not revoked by a sign-out,
/// a replayed token, a password change or a disabled account. A SQL expression, so it joins the
/// query that loads the caller instead of costing a round trip of its own.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn session_is_live(family: DbId) -> _ {
    diesel::dsl::exists(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
}
