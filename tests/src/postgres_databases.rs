//! Test databases on the local PostgreSQL server.
//!
//! Creating a database costs about 0.6 s even from a template (PostgreSQL copies and syncs
//! its catalogs), more than most tests. So databases are pooled: slot `n` is the database
//! `roster_pool_<migrations>_<n>`, held by a test through a session advisory lock on its
//! admin connection (released when that connection closes, also when the test process dies),
//! and emptied when the next test claims it (about 40 ms). A slot is made from the migrated
//! template the first time it is claimed; when every slot is busy the test gets a database
//! of its own, dropped afterwards.

use std::sync::Mutex;

use roster_store::diesel::{sql_query, Connection, PgConnection, QueryableByName, RunQueryDsl};

/// Enough for the tests one machine runs at once; a slot is only made when first needed.
const SLOTS: i32 = 16;
/// The advisory-lock class of pool slots (the slot number is the object).
const SLOT_LOCK_CLASS: i32 = 7_472_882;
/// The advisory lock under which a template is made.
const TEMPLATE_LOCK: i64 = 7_472_881;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = roster_store::diesel::sql_types::Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = roster_store::diesel::sql_types::Bool)]
    locked: bool,
}

/// A database a test holds: its name, and whether it is the test's own to drop.
pub struct Claimed {
    pub name: String,
    pub pooled: bool,
    /// Holds the slot's advisory lock for as long as the test keeps it (in a mutex: a test
    /// shares its app, and so this, across threads).
    admin: Mutex<PgConnection>,
}

/// Claims an empty, migrated database for one test.
pub fn claim(mut admin: PgConnection, admin_url: &str, fingerprint: &str) -> Claimed {
    let template = template(&mut admin, admin_url, fingerprint);
    for slot in 0..SLOTS {
        let locked = sql_query(format!(
            "SELECT pg_try_advisory_lock({SLOT_LOCK_CLASS}, {slot}) AS locked"
        ))
        .get_result::<Locked>(&mut admin)
        .expect("try a pool slot")
        .locked;
        if !locked {
            continue;
        }
        let name = format!("roster_pool_{fingerprint}_{slot}");
        if databases_like(&mut admin, &name).is_empty() {
            create_from(&mut admin, &name, &template);
        } else {
            empty(&mut admin, admin_url, &name);
        }
        return Claimed {
            name,
            pooled: true,
            admin: Mutex::new(admin),
        };
    }
    let name = format!("roster_test_{}", uuid::Uuid::now_v7().simple());
    create_from(&mut admin, &name, &template);
    Claimed {
        name,
        pooled: false,
        admin: Mutex::new(admin),
    }
}

impl Drop for Claimed {
    fn drop(&mut self) {
        let admin = self.admin.get_mut().unwrap_or_else(|e| e.into_inner());
        if !self.pooled {
            // FORCE ends the server's pooled connections (PostgreSQL 13+).
            let _ = sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(admin);
        }
    }
}

fn create_from(admin: &mut PgConnection, name: &str, template: &str) {
    sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .execute(admin)
        .expect("create a test database");
}

/// Ends whatever still uses the slot's database (a server of the test before, in the same
/// process under `cargo test`), then deletes every row but the migration history.
fn empty(admin: &mut PgConnection, admin_url: &str, name: &str) {
    sql_query(format!(
        "SELECT pg_terminate_backend(pid)::text AS name FROM pg_stat_activity \
         WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    ))
    .load::<Name>(admin)
    .expect("end the slot's old connections");
    let mut conn = PgConnection::establish(&database_url(admin_url, name))
        .expect("connect to a pooled test database");
    let tables = sql_query(
        "SELECT tablename AS name FROM pg_tables \
         WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations'",
    )
    .load::<Name>(&mut conn)
    .expect("list the tables");
    conn.transaction(|conn| {
        // Foreign keys are not checked meanwhile, so the order of deletion does not matter.
        sql_query("SET LOCAL session_replication_role = replica").execute(conn)?;
        for table in &tables {
            sql_query(format!("DELETE FROM {}", table.name)).execute(conn)?;
        }
        Ok::<_, roster_store::diesel::result::Error>(())
    })
    .expect("empty a pooled test database");
}

/// The URL of database `name` on the server of `admin_url`.
pub fn database_url(admin_url: &str, name: &str) -> String {
    let (path, query) = match admin_url.split_once('?') {
        Some((path, query)) => (path, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    match path.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}{query}"),
        None => panic!("ROSTER_TEST_POSTGRES_URL needs a database path"),
    }
}

fn databases_like(admin: &mut PgConnection, pattern: &str) -> Vec<String> {
    sql_query(format!(
        "SELECT datname AS name FROM pg_database WHERE datname LIKE '{pattern}'"
    ))
    .load::<Name>(admin)
    .expect("list databases")
    .into_iter()
    .map(|n| n.name)
    .collect()
}

/// The name of the migrated template for the current migrations, made if it is missing (under
/// an advisory lock, so that concurrent test processes make it once). Templates and pool slots
/// of other migrations are dropped meanwhile.
fn template(admin: &mut PgConnection, admin_url: &str, fingerprint: &str) -> String {
    let name = format!("roster_template_{fingerprint}");
    if !databases_like(admin, &name).is_empty() {
        return name;
    }
    sql_query(format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"))
        .execute(admin)
        .expect("lock the template");
    if databases_like(admin, &name).is_empty() {
        let making = format!("roster_making_{}", uuid::Uuid::now_v7().simple());
        sql_query(format!("CREATE DATABASE {making}"))
            .execute(admin)
            .expect("create the template");
        drop(
            roster_core::open_database(&database_url(admin_url, &making), 1)
                .expect("migrate the PostgreSQL template"),
        );
        sql_query(format!("ALTER DATABASE {making} RENAME TO {name}"))
            .execute(admin)
            .expect("name the template");
        let mut stale = databases_like(admin, "roster\\_template\\_%");
        stale.extend(databases_like(admin, "roster\\_pool\\_%"));
        for stale in stale
            .into_iter()
            .filter(|n| *n != name && !n.contains(fingerprint))
        {
            let _ =
                sql_query(format!("DROP DATABASE IF EXISTS {stale} WITH (FORCE)")).execute(admin);
        }
    }
    sql_query(format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"))
        .execute(admin)
        .expect("unlock the template");
    name
}
