//! The `refresh_tokens` table: SHA-256 hashes of refresh tokens, grouped in rotation families
//! (a family is one sign-in session).

use diesel::prelude::*;
use roster_domain::{OrganizationId, RefreshTokenId, SessionId, UserId};

use crate::schema::refresh_tokens;
use crate::{DbConn, DbId, NullableDbId, StoreError, Ts};

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub id: RefreshTokenId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub family_id: SessionId,
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub user_id: UserId,
    pub token_hash: Vec<u8>,
    #[diesel(serialize_as = NullableDbId, deserialize_as = NullableDbId)]
    pub organization_id: Option<OrganizationId>,
    pub created_at: Ts,
    pub expires_at: Ts,
    pub used_at: Option<Ts>,
    pub revoked_at: Option<Ts>,
    /// When the token, already rotated, got its one extra successor (two tabs refreshing at
    /// once).
    pub grace_used_at: Option<Ts>,
}

pub fn insert(conn: &mut DbConn, row: &RefreshTokenRow) -> Result<(), StoreError> {
    diesel::insert_into(refresh_tokens::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: RefreshTokenId) -> Result<Option<RefreshTokenRow>, StoreError> {
    Ok(refresh_tokens::table
        .find(DbId::from(id))
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

/// Locks a sign-in session (a refresh-token family) until the transaction ends, by its first
/// token's row (`FOR UPDATE` on Postgres; SQLite's writers are serialized already): every
/// refresh of one session waits for the one before, so a replay that ends the session cannot
/// miss a successor issued at the same moment.
pub fn lock_family(conn: &mut DbConn, family: SessionId) -> Result<(), StoreError> {
    if let DbConn::Pg(pg) = conn {
        let _first: Option<DbId> = refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(DbId::from(family)))
            .order(refresh_tokens::id.asc())
            .select(refresh_tokens::id)
            .limit(1)
            .for_update()
            .first(pg)
            .optional()?;
    }
    Ok(())
}

/// Marks a token rotated. Returns false when another request rotated it first.
pub fn mark_used(conn: &mut DbConn, id: RefreshTokenId, at: Ts) -> Result<bool, StoreError> {
    let updated = diesel::update(
        refresh_tokens::table
            .find(DbId::from(id))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(Some(at)))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Takes a rotated token's one extra successor (the grace period's). Returns false when it was
/// taken before: a third presentation is a replay.
pub fn take_grace(conn: &mut DbConn, id: RefreshTokenId, at: Ts) -> Result<bool, StoreError> {
    let updated = diesel::update(
        refresh_tokens::table
            .find(DbId::from(id))
            .filter(refresh_tokens::grace_used_at.is_null()),
    )
    .set(refresh_tokens::grace_used_at.eq(Some(at)))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Revokes every token of a family (logout, or a replayed token); how many were still live.
/// The family is locked first ([`lock_family`]), so a refresh running at the same moment either
/// finishes before (and its successor is revoked too) or finds the family revoked.
pub fn revoke_family(conn: &mut DbConn, family: SessionId, at: Ts) -> Result<usize, StoreError> {
    lock_family(conn, family)?;
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(DbId::from(family)))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(at)))
    .execute(conn)?)
}

/// Revokes all of a user's sessions except `keep` (the one changing the password); returns
/// the sessions that were live and are revoked now.
pub fn revoke_user_sessions(
    conn: &mut DbConn,
    user_id: UserId,
    keep: Option<SessionId>,
    at: Ts,
) -> Result<Vec<SessionId>, StoreError> {
    let mut live = refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(DbId::from(user_id)))
        .filter(refresh_tokens::revoked_at.is_null())
        .select(refresh_tokens::family_id)
        .distinct()
        .into_boxed();
    if let Some(family) = keep {
        live = live.filter(refresh_tokens::family_id.ne(DbId::from(family)));
    }
    let mut families: Vec<DbId> = live.load(conn)?;
    // Locked in one order, as refreshes lock them: none issues a successor that escapes.
    families.sort_by_key(|id| id.0);
    for family in &families {
        lock_family(conn, SessionId::from(*family))?;
    }
    if !families.is_empty() {
        diesel::update(refresh_tokens::table)
            .filter(refresh_tokens::family_id.eq_any(families.clone()))
            .filter(refresh_tokens::revoked_at.is_null())
            .set(refresh_tokens::revoked_at.eq(Some(at)))
            .execute(conn)?;
    }
    Ok(families.into_iter().map(SessionId::from).collect())
}

/// Whether a sign-in session (a refresh-token family) is still live: not revoked by a sign-out,
/// a replayed token, a password change or a disabled account. A SQL expression, so it joins the
/// query that loads the caller instead of costing a round trip of its own.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn session_is_live(family: SessionId) -> _ {
    let family: DbId = family.into();
    diesel::dsl::exists(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
}

/// Forgets sessions whose every token expired before `before`: nothing can be refreshed with
/// them any more. A session goes whole, so the token its refreshes lock on stays while it lives.
pub fn purge_expired(conn: &mut DbConn, before: Ts) -> Result<usize, StoreError> {
    let ended: Vec<DbId> = refresh_tokens::table
        .group_by(refresh_tokens::family_id)
        .having(diesel::dsl::max(refresh_tokens::expires_at).lt(before))
        .select(refresh_tokens::family_id)
        .limit(10_000)
        .load(conn)?;
    Ok(
        diesel::delete(refresh_tokens::table.filter(refresh_tokens::family_id.eq_any(ended)))
            .execute(conn)?,
    )
}
