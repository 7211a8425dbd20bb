//! Roster's persistence: one Diesel code path over PostgreSQL and SQLite.
//!
//! [`Db`] owns an r2d2 pool whose manager picks the backend from the URL scheme; [`Db::write`]
//! runs one transaction per request. Each table has a module with its row type and queries.

mod connection;
mod error;
mod migrations;
mod pool;
mod sql_types;

pub mod account_tokens;
pub mod api_keys;
pub mod background_jobs;
pub mod cache_changes;
pub mod erasure;
pub mod events;
pub mod idempotency;
pub mod invitations;
pub mod login_failures;
pub mod mail_outbox;
pub mod memberships;
pub mod named;
pub mod org_access;
pub mod organization_list;
pub mod organizations;
pub mod projects;
pub mod rate_hits;
pub mod refresh_tokens;
pub mod roles;
pub mod schema;
pub mod signing_keys;
pub mod team_grants;
pub mod teams;
pub mod users;
pub mod webhooks;

pub use connection::{Backend, DbConn, MultiBackend};
pub use error::{StoreError, TransactionError, Unique};
pub use migrations::run_migrations;
pub use organizations::OrganizationRow;
pub use pool::{
    parse_database_url, redact_url, ConnectionManager, Db, PoolOptions, DEFAULT_CONNECTION_TIMEOUT,
};
pub use sql_types::{DbId, DbJson, DbTimestamp, DbUuid, JsonValue, NullableDbId, Ts};

/// Re-exported so that tests and tools can run their own queries on a [`DbConn`].
pub use diesel;

/// A LIKE pattern matching strings that start with `prefix`, with `%`, `_` and `\` escaped
/// (use with `.escape('\\')`).
pub fn like_prefix(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Rows per multi-row `INSERT`: far below both databases' limits on bound parameters (16
/// columns × 500 = 8,000).
pub const INSERT_CHUNK: usize = 500;

/// Inserts the rows of a slice: on PostgreSQL with multi-row statements of [`INSERT_CHUNK`] rows
/// (each statement is a round trip); on SQLite, in the process, a row at a time (diesel's batch
/// insert there opens a transaction of its own, inside ours).
#[macro_export]
#[doc(hidden)]
macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::DbConn::Pg(c) => {
                for chunk in $rows.chunks($crate::INSERT_CHUNK) {
                    diesel::insert_into($table)
                        .values(chunk.to_vec())
                        .execute(c)?;
                }
            }
            $crate::DbConn::Sqlite(c) => {
                for row in $rows.iter() {
                    diesel::insert_into($table).values(row.clone()).execute(c)?;
                }
            }
        }
    };
}
