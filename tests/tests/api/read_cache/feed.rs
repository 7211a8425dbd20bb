//! The change feed is the database's own: every table the cache holds rows of has triggers for
//! every kind of write, on both databases, so no write can skip invalidation, whoever makes it.
//! A change made outside Roster (psql, another tool) is heard too.

use std::time::{Duration, Instant};

use roster_store::cache_changes::CACHED_TABLES;
use roster_store::diesel::sql_types::Text;
use roster_store::diesel::{sql_query, QueryableByName, RunQueryDsl};
use roster_tests::{Backend, Client, TestApp};

use super::cases::{warm, Probe};
use crate::support::access::add_member;
use crate::support::stored::db;

#[derive(QueryableByName)]
struct Trigger {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    event: String,
}

/// `(table, INSERT|UPDATE|DELETE)` for every trigger feeding `cache_changes`.
fn feeding_triggers(app: &TestApp) -> Vec<(String, String)> {
    let query = match app.backend {
        Backend::Postgres => {
            "SELECT event_object_table AS table_name, event_manipulation AS event \
             FROM information_schema.triggers \
             WHERE action_statement LIKE '%roster_cache_change%'"
        }
        Backend::Sqlite => {
            "SELECT tbl_name AS table_name, \
                    upper(substr(name, length(tbl_name) + length('_cache_') + 1)) AS event \
             FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%cache_changes%'"
        }
    };
    let rows: Vec<Trigger> = db(app)
        .read(|conn| {
            sql_query(query)
                .load(conn)
                .map_err(roster_store::StoreError::from)
        })
        .unwrap();
    rows.into_iter().map(|t| (t.table_name, t.event)).collect()
}

fn every_cached_table_feeds_the_cache_on_every_write(app: &TestApp) {
    let triggers = feeding_triggers(app);
    for table in CACHED_TABLES {
        for event in ["INSERT", "UPDATE", "DELETE"] {
            assert!(
                triggers.iter().any(|(t, e)| t == table && e == event),
                "{:?}: no {event} trigger on {table} feeds the cache ({triggers:?})",
                app.backend
            );
        }
    }
}

fn a_change_made_outside_roster_is_heard(app: &TestApp) {
    let management = Client::new(app.management.as_deref().unwrap());
    let owner = app.sign_up("outside-owner");
    app.create_org(&owner, "outside");
    let member = app.sign_up("outside-member");
    add_member(app, &owner, "outside", &member, "member");
    let probe = Probe::get("/v1/organizations/outside".into(), &member.token);
    warm(&app.client, &management, &probe, "outside");
    // As psql would: one statement, committed on its own, not through Roster's writer.
    let statement = format!("DELETE FROM memberships WHERE user_id = '{}'", member.id);
    db(app)
        .read(|conn| {
            sql_query(statement)
                .execute(conn)
                .map_err(roster_store::StoreError::from)
        })
        .unwrap();
    let changed = Instant::now();
    while probe.works(&app.client) {
        assert!(
            changed.elapsed() < Duration::from_secs(2),
            "{:?}: a change made outside Roster was never heard",
            app.backend
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn triggers_and_outside_changes() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::spawn_with(backend, &["--management-listen", "127.0.0.1:0"])
        else {
            continue;
        };
        every_cached_table_feeds_the_cache_on_every_write(&app);
        a_change_made_outside_roster_is_heard(&app);
    }
}
