//! What the API stored, read straight from the test's database.

use roster_auth::hash_secret;
use roster_store::diesel::prelude::*;
use roster_store::refresh_tokens::{self, RefreshTokenRow};
use roster_store::schema::refresh_tokens as refresh_tokens_table;
use roster_store::users::{self, UserRow};
use roster_store::{Db, PoolOptions};
use roster_tests::TestApp;

/// A direct handle on the test's database, to check what the API stored.
pub fn db(app: &TestApp) -> Db {
    Db::new(&app.db.url, &PoolOptions::default()).unwrap()
}

/// The stored row of the user with this (lowercase) email; panics if there is none.
pub fn stored_user(app: &TestApp, email: &str) -> UserRow {
    db(app)
        .read(|conn| users::find_by_email(conn, email))
        .unwrap()
        .expect("the user is stored")
}

/// Moves the rotation of the refresh token `plaintext` `seconds` into the past, as if it had
/// been rotated that long ago (past the grace period in which it may come back).
pub fn age_rotation(app: &TestApp, plaintext: &str, seconds: i64) {
    let hash = hash_secret(plaintext);
    db(app)
        .write(|conn| {
            let row = refresh_tokens::find_by_hash(conn, &hash)?.expect("the token is stored");
            let used_at = row.used_at.expect("the token was rotated");
            let aged =
                roster_store::Ts::from_datetime(used_at.0 - chrono::Duration::seconds(seconds));
            roster_store::diesel::update(
                refresh_tokens_table::table.find(roster_store::DbId::from(row.id)),
            )
            .set(refresh_tokens_table::used_at.eq(Some(aged)))
            .execute(conn)
            .map_err(roster_store::StoreError::from)
        })
        .unwrap();
}

/// Every stored refresh token of the sign-in that `plaintext` belongs to.
pub fn stored_family(app: &TestApp, plaintext: &str) -> Vec<RefreshTokenRow> {
    db(app)
        .read(|conn| {
            let row = refresh_tokens::find_by_hash(conn, &hash_secret(plaintext))?
                .expect("the refresh token is stored");
            refresh_tokens_table::table
                .filter(refresh_tokens_table::family_id.eq(roster_store::DbId::from(row.family_id)))
                .select(RefreshTokenRow::as_select())
                .load(conn)
                .map_err(roster_store::StoreError::from)
        })
        .unwrap()
}
