//! The `signing_keys` table: the Ed25519 keys behind access tokens, shared by every instance.

use diesel::prelude::*;

use crate::schema::signing_keys;
use crate::{DbConn, StoreError, Ts};

/// One key pair. The private half is secret, so there is no `Debug`.
#[derive(Queryable, Selectable, Insertable, Clone)]
#[diesel(table_name = signing_keys)]
pub struct SigningKeyRow {
    pub kid: String,
    pub private_key: Vec<u8>,
    pub public_key: Vec<u8>,
    pub created_at: Ts,
    pub retired_at: Option<Ts>,
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
