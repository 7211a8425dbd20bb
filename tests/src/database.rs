//! A fresh database per test: a temporary SQLite file, or a new database on the local
//! PostgreSQL server, dropped when the test ends.

use std::path::PathBuf;

use roster_store::diesel::{Connection, PgConnection, RunQueryDsl};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The maintenance database URL on the local server (override with `ROSTER_TEST_POSTGRES_URL`).
pub fn postgres_admin_url() -> String {
    std::env::var("ROSTER_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn postgres_required() -> bool {
    std::env::var_os("CI").is_some()
        || std::env::var("ROSTER_TEST_POSTGRES").is_ok_and(|v| v == "require")
}

pub struct TestDb {
    pub url: String,
    sqlite_file: Option<PathBuf>,
    postgres_name: Option<String>,
}

impl TestDb {
    /// `None` only for Postgres when the server is unreachable and not required.
    pub fn create(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let file = std::env::temp_dir()
                    .join(format!("roster-test-{}.db", uuid::Uuid::now_v7().simple()));
                Some(TestDb {
                    url: format!("sqlite://{}", file.display()),
                    sqlite_file: Some(file),
                    postgres_name: None,
                })
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let mut admin = match PgConnection::establish(&admin_url) {
                    Ok(conn) => conn,
                    Err(error) if postgres_required() => {
                        panic!("PostgreSQL at {admin_url} is required (CI or ROSTER_TEST_POSTGRES=require) but unreachable: {error}")
                    }
                    Err(error) => {
                        eprintln!("\n!!! SKIPPING the PostgreSQL half of this test: {admin_url} is unreachable ({error}).\n!!! Set ROSTER_TEST_POSTGRES=require to make this a failure.\n");
                        return None;
                    }
                };
                let name = format!("roster_test_{}", uuid::Uuid::now_v7().simple());
                roster_store::diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                let url = match admin_url.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{name}"),
                    None => panic!("ROSTER_TEST_POSTGRES_URL needs a database path"),
                };
                Some(TestDb {
                    url,
                    sqlite_file: None,
                    postgres_name: Some(name),
                })
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
        if let Some(name) = &self.postgres_name {
            if let Ok(mut admin) = PgConnection::establish(&postgres_admin_url()) {
                // FORCE ends the server's pooled connections (Postgres 13+).
                let _ = roster_store::diesel::sql_query(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                ))
                .execute(&mut admin);
            }
        }
    }
}
