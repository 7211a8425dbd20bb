//! Both migration trees, embedded in the binary and applied at start-up.

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::{Db, DbConn, StoreError};

const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// Applies every pending migration; returns the versions it applied, oldest first.
pub fn run_migrations(db: &Db) -> Result<Vec<String>, StoreError> {
    let mut conn = db.conn()?;
    let applied = match &mut *conn {
        DbConn::Pg(pg) => pg.run_pending_migrations(POSTGRES).map(versions),
        DbConn::Sqlite(sqlite) => sqlite.run_pending_migrations(SQLITE).map(versions),
    };
    applied.map_err(|e| StoreError::Migration(e.to_string()))
}

fn versions(applied: Vec<diesel::migration::MigrationVersion<'_>>) -> Vec<String> {
    applied.iter().map(ToString::to_string).collect()
}
