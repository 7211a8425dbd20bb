//! The `signing_keys` table: the Ed25519 keys behind access tokens, shared by every instance.

use diesel::prelude::*;

use crate::schema::signing_keys;
use crate::{DbConn, StoreError, Ts};

/// One key pair. The private half is secret (and sealed when Roster has a key-encryption key),
/// so there is no `Debug`. A retired key keeps its public half, for the record, and loses its
/// private half.
#[derive(Queryable, Selectable, Insertable, Clone)]
#[diesel(table_name = signing_keys)]
pub struct SigningKeyRow {
    pub kid: String,
    pub private_key: Vec<u8>,
    pub public_key: Vec<u8>,
    pub created_at: Ts,
    pub retired_at: Option<Ts>,
    /// When an instance last said it signs with this key (see [`mark_signing`]).
    pub last_signed_at: Option<Ts>,
}

pub fn insert(conn: &mut DbConn, row: &SigningKeyRow) -> Result<(), StoreError> {
    diesel::insert_into(signing_keys::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Every key that still verifies tokens, newest first (the first one signs).
pub fn active(conn: &mut DbConn) -> Result<Vec<SigningKeyRow>, StoreError> {
    Ok(signing_keys::table
        .filter(signing_keys::retired_at.is_null())
        .order((signing_keys::created_at.desc(), signing_keys::kid.desc()))
        .select(SigningKeyRow::as_select())
        .load(conn)?)
}

/// Every key, retired ones included, newest first.
pub fn all(conn: &mut DbConn) -> Result<Vec<SigningKeyRow>, StoreError> {
    Ok(signing_keys::table
        .order((signing_keys::created_at.desc(), signing_keys::kid.desc()))
        .select(SigningKeyRow::as_select())
        .load(conn)?)
}

/// Replaces a key's stored private half (to seal a plaintext one).
pub fn set_private_key(conn: &mut DbConn, kid: &str, private_key: &[u8]) -> Result<(), StoreError> {
    diesel::update(signing_keys::table.find(kid))
        .set(signing_keys::private_key.eq(private_key))
        .execute(conn)?;
    Ok(())
}

/// Records that an instance signs with `kid` at `now` (once a key-refresh interval): a key
/// some instance still signs with is not retired.
pub fn mark_signing(conn: &mut DbConn, kid: &str, now: Ts) -> Result<(), StoreError> {
    diesel::update(signing_keys::table.find(kid))
        .set(signing_keys::last_signed_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}

/// Retires keys: they verify nothing more, and their private halves are erased.
pub fn retire(conn: &mut DbConn, kids: &[String], at: Ts) -> Result<usize, StoreError> {
    Ok(diesel::update(
        signing_keys::table
            .filter(signing_keys::kid.eq_any(kids))
            .filter(signing_keys::retired_at.is_null()),
    )
    .set((
        signing_keys::retired_at.eq(Some(at)),
        signing_keys::private_key.eq(Vec::<u8>::new()),
    ))
    .execute(conn)?)
}
