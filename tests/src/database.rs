//! An empty, migrated database per test: a temporary SQLite file, removed when the test ends,
//! or a database on the local PostgreSQL server (see `postgres_databases`: pooled and emptied
//! between tests).
//!
//! Each starts as a copy of a template that already has every migration applied (a file copy
//! on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL), made once per set of migrations and
//! shared by every test process: migrating from scratch for each test would cost more than the
//! test itself.

use std::path::{Path, PathBuf};

use roster_store::diesel::{sql_query, Connection, PgConnection, RunQueryDsl};

use crate::postgres_databases;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The maintenance database URL on the local server (override with `ROSTER_TEST_POSTGRES_URL`).
/// Without TLS: over loopback it buys nothing, and a test process that ends while a server's
/// background threads are inside OpenSSL can crash in OpenSSL's exit handlers (seen as a
/// SIGSEGV after a passing test).
pub fn postgres_admin_url() -> String {
    std::env::var("ROSTER_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable".into())
}

fn postgres_required() -> bool {
    std::env::var_os("CI").is_some()
        || std::env::var("ROSTER_TEST_POSTGRES").is_ok_and(|v| v == "require")
}

pub struct TestDb {
    pub url: String,
    sqlite_file: Option<PathBuf>,
    /// The claimed PostgreSQL database, kept for its `Drop`: given back when the test ends.
    _postgres: Option<postgres_databases::Claimed>,
}

impl TestDb {
    /// `None` only for Postgres when the server is unreachable and not required.
    pub fn create(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let file = std::env::temp_dir()
                    .join(format!("roster-test-{}.db", uuid::Uuid::now_v7().simple()));
                std::fs::copy(sqlite_template(), &file).expect("copy the SQLite template");
                Some(TestDb {
                    url: format!("sqlite://{}", file.display()),
                    sqlite_file: Some(file),
                    _postgres: None,
                })
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let admin = match PgConnection::establish(&admin_url) {
                    Ok(conn) => conn,
                    Err(error) if postgres_required() => {
                        panic!("PostgreSQL at {admin_url} is required (CI or ROSTER_TEST_POSTGRES=require) but unreachable: {error}")
                    }
                    Err(error) => {
                        eprintln!("\n!!! SKIPPING the PostgreSQL half of this test: {admin_url} is unreachable ({error}).\n!!! Set ROSTER_TEST_POSTGRES=require to make this a failure.\n");
                        return None;
                    }
                };
                let claimed =
                    postgres_databases::claim(admin, &admin_url, &migrations_fingerprint());
                Some(TestDb {
                    url: postgres_databases::database_url(&admin_url, &claimed.name),
                    sqlite_file: None,
                    _postgres: Some(claimed),
                })
            }
        }
    }
}

/// What identifies a set of migrations: a hash of every migration file of both trees.
fn migrations_fingerprint() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut files = Vec::new();
    collect_files(&root, &mut files);
    files.sort();
    // FNV-1a over the paths and contents: stable across processes, no dependency.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let name = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .display()
            .to_string();
        let content = std::fs::read(&file).expect("read a migration");
        for byte in name.bytes().chain(content) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("read the migrations")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// The migrated SQLite template for the current migrations, made if it is missing. Made
/// under another name and renamed into place, so that concurrent test processes never copy a
/// half-made one.
fn sqlite_template() -> PathBuf {
    let template =
        std::env::temp_dir().join(format!("roster-template-{}.db", migrations_fingerprint()));
    if !template.exists() {
        let making = std::env::temp_dir().join(format!(
            "roster-template-{}.making.db",
            uuid::Uuid::now_v7().simple()
        ));
        let db = roster_core::open_database(&format!("sqlite://{}", making.display()), 1)
            .expect("migrate the SQLite template");
        db.read(|conn| {
            sql_query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(conn)
                .map_err(roster_store::StoreError::from)
        })
        .expect("checkpoint the SQLite template");
        drop(db);
        std::fs::rename(&making, &template).expect("put the SQLite template in place");
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", making.display()));
        }
    }
    template
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}
