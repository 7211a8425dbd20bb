//! A fresh database per test: a temporary SQLite file, or a new database on the local
//! PostgreSQL server, dropped when the test ends.
//!
//! Each is a copy of a template that already has every migration applied (a file copy on
//! SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL), made once per set of migrations and
//! shared by every test process: migrating from scratch for each test would cost more than the
//! test itself.

use std::path::{Path, PathBuf};

use roster_store::diesel::{sql_query, Connection, PgConnection, RunQueryDsl};

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
                std::fs::copy(sqlite_template(), &file).expect("copy the SQLite template");
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
                let template = postgres_template(&mut admin, &admin_url);
                sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
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

/// The name of the migrated PostgreSQL template for the current migrations, made if it is
/// missing (under an advisory lock, so that concurrent test processes make it once). Templates
/// of other migrations are dropped meanwhile.
fn postgres_template(admin: &mut PgConnection, admin_url: &str) -> String {
    #[derive(roster_store::diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = roster_store::diesel::sql_types::Text)]
        datname: String,
    }
    let name = format!("roster_template_{}", migrations_fingerprint());
    let existing = |admin: &mut PgConnection| -> Vec<String> {
        sql_query("SELECT datname FROM pg_database WHERE datname LIKE 'roster_template_%'")
            .load::<Name>(admin)
            .expect("list the templates")
            .into_iter()
            .map(|n| n.datname)
            .collect()
    };
    if existing(admin).contains(&name) {
        return name;
    }
    sql_query("SELECT pg_advisory_lock(7472881)")
        .execute(admin)
        .expect("lock the template");
    if !existing(admin).contains(&name) {
        let making = format!("roster_making_{}", uuid::Uuid::now_v7().simple());
        sql_query(format!("CREATE DATABASE {making}"))
            .execute(admin)
            .expect("create the template");
        let url = match admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{making}"),
            None => panic!("ROSTER_TEST_POSTGRES_URL needs a database path"),
        };
        drop(roster_core::open_database(&url, 1).expect("migrate the PostgreSQL template"));
        sql_query(format!("ALTER DATABASE {making} RENAME TO {name}"))
            .execute(admin)
            .expect("name the template");
        for stale in existing(admin).into_iter().filter(|n| *n != name) {
            let _ =
                sql_query(format!("DROP DATABASE IF EXISTS {stale} WITH (FORCE)")).execute(admin);
        }
    }
    sql_query("SELECT pg_advisory_unlock(7472881)")
        .execute(admin)
        .expect("unlock the template");
    name
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
