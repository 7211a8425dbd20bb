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

/// A change written here, behind the server's back, reaches its read cache through the
/// database's change feed: at once on PostgreSQL (NOTIFY), within SQLite's 50 ms poll there.
/// Wait that long, as an operator editing rows by hand would not notice.
pub fn let_the_server_hear_it() {
    std::thread::sleep(std::time::Duration::from_millis(120));
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

/// Marks `email`'s address proven, as following its mailed link would (the link itself is
/// followed in `accounts`, through a real SMTP server).
pub fn mark_verified(app: &TestApp, email: &str) {
    use roster_store::schema::users;
    let now = roster_store::Ts::now();
    let changed = db(app)
        .write(|conn| {
            roster_store::diesel::update(users::table.filter(users::email.eq(email)))
                .set(users::email_verified_at.eq(Some(now)))
                .execute(conn)
                .map_err(roster_store::StoreError::from)
        })
        .unwrap();
    assert_eq!(changed, 1);
    let_the_server_hear_it();
}

/// How many responses are kept for `Idempotency-Key`s whose scope starts with `prefix`
/// (`user:<id>/`, `api_key:<id>`).
pub fn kept_responses(app: &TestApp, prefix: &str) -> i64 {
    use roster_store::schema::idempotency_keys;
    db(app)
        .read(|conn| {
            idempotency_keys::table
                .filter(idempotency_keys::scope.like(format!("{prefix}%")))
                .count()
                .get_result::<i64>(conn)
                .map_err(roster_store::StoreError::from)
        })
        .unwrap()
}

/// Makes the invitation whose token is `token` expire a minute ago.
pub fn expire_invitation(app: &TestApp, token: &str) {
    use roster_store::schema::invitations;
    let past = roster_store::Ts::from_datetime(chrono::Utc::now() - chrono::Duration::minutes(1));
    let changed = db(app)
        .write(|conn| {
            roster_store::diesel::update(
                invitations::table.filter(invitations::token_hash.eq(hash_secret(token))),
            )
            .set(invitations::expires_at.eq(past))
            .execute(conn)
            .map_err(roster_store::StoreError::from)
        })
        .unwrap();
    assert_eq!(changed, 1);
    let_the_server_hear_it();
}

/// Makes `user`'s membership of the organization with id `org` expire a minute ago.
pub fn expire_membership(app: &TestApp, org: &str, user: &str) {
    use roster_store::schema::memberships;
    let past = roster_store::Ts::from_datetime(chrono::Utc::now() - chrono::Duration::minutes(1));
    let id = |s: &str| roster_store::DbId(uuid::Uuid::parse_str(s).unwrap());
    let changed = db(app)
        .write(|conn| {
            roster_store::diesel::update(
                memberships::table
                    .filter(memberships::organization_id.eq(id(org)))
                    .filter(memberships::user_id.eq(id(user))),
            )
            .set(memberships::expires_at.eq(Some(past)))
            .execute(conn)
            .map_err(roster_store::StoreError::from)
        })
        .unwrap();
    assert_eq!(changed, 1);
    let_the_server_hear_it();
}

/// Whether `secret` is stored anywhere in the test's database, in any table and column (on
/// SQLite: anywhere in the database's files, write-ahead log included).
pub fn stored_anywhere(app: &TestApp, secret: &str) -> bool {
    match app.backend {
        roster_tests::Backend::Sqlite => {
            let path = app.db.url.trim_start_matches("sqlite://").to_owned();
            ["", "-wal"].iter().any(|suffix| {
                std::fs::read(format!("{path}{suffix}"))
                    .is_ok_and(|bytes| bytes.windows(secret.len()).any(|w| w == secret.as_bytes()))
            })
        }
        roster_tests::Backend::Postgres => {
            use roster_store::diesel::sql_types::{BigInt, Text};
            #[derive(QueryableByName)]
            struct Name {
                #[diesel(sql_type = Text)]
                name: String,
            }
            #[derive(QueryableByName)]
            struct Found {
                #[diesel(sql_type = BigInt)]
                found: i64,
            }
            db(app)
                .read(|conn| {
                    let tables: Vec<Name> = roster_store::diesel::sql_query(
                        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
                    )
                    .load(conn)?;
                    let mut found = 0;
                    for table in tables {
                        let hits: Found = roster_store::diesel::sql_query(format!(
                            "SELECT count(*) AS found FROM {} t WHERE row_to_json(t)::text LIKE '%' || $1 || '%'",
                            table.name
                        ))
                        .bind::<Text, _>(secret)
                        .get_result(conn)?;
                        found += hits.found;
                    }
                    Ok::<_, roster_store::StoreError>(found > 0)
                })
                .unwrap()
        }
    }
}

/// Makes the API key with id `id` expire a minute ago.
pub fn expire_api_key(app: &TestApp, id: &str) {
    use roster_store::schema::api_keys;
    let past = roster_store::Ts::from_datetime(chrono::Utc::now() - chrono::Duration::minutes(1));
    let key = roster_store::DbId(uuid::Uuid::parse_str(id).unwrap());
    let changed = db(app)
        .write(|conn| {
            roster_store::diesel::update(api_keys::table.find(key))
                .set(api_keys::expires_at.eq(Some(past)))
                .execute(conn)
                .map_err(roster_store::StoreError::from)
        })
        .unwrap();
    assert_eq!(changed, 1);
    let_the_server_hear_it();
}
