//! An instance whose change listener is cut off (its backend terminated, as a failover or an
//! idle-connection killer would) stops serving from its cache at once, reads from the database
//! meanwhile, forgets everything once it is back, and then uses the cache again: a revocation
//! made while it could not hear holds throughout.

use std::time::{Duration, Instant};

use roster_store::diesel::sql_types::BigInt;
use roster_store::diesel::{sql_query, QueryableByName, RunQueryDsl};
use roster_tests::{spawn_listeners, Backend, Client, TestApp};

use super::cases::{cache_hits, metric, warm, CASES};
use crate::support::stored::db;

#[derive(QueryableByName)]
struct Terminated {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// Terminates the backends of every cache listener on the test's database; how many there were.
fn cut_listeners(app: &TestApp) -> i64 {
    db(app)
        .read(|conn| {
            sql_query(
                "SELECT count(pg_terminate_backend(pid)) AS count FROM pg_stat_activity \
                 WHERE application_name = 'roster-cache-listener' AND datname = current_database()",
            )
            .get_result::<Terminated>(conn)
            .map_err(roster_store::StoreError::from)
        })
        .map(|t| t.count)
        .unwrap()
}

fn wait_for_trust(management: &Client, trusted: u64) {
    let started = Instant::now();
    while metric(management, "roster_read_cache_trusted") != trusted {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the cache never became {}",
            if trusted == 1 { "trusted" } else { "untrusted" }
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn losing_the_listener_stops_the_cache_until_it_is_back_and_emptied() {
    let Some((a, admin)) =
        TestApp::spawn_with_admin(Backend::Postgres, &["--management-listen", "127.0.0.1:0"])
    else {
        return;
    };
    let (b, b_management) = spawn_listeners(&a.db.url, &["--management-listen", "127.0.0.1:0"]);
    let (b, b_management) = (Client::new(&b), Client::new(&b_management.unwrap()));
    wait_for_trust(&b_management, 1);
    let (removed, sign_out) = (CASES[3], CASES[0]);
    assert_eq!((removed.0, sign_out.0), ("removed member", "sign-out"));

    // Cut off while the change is made: B must not serve what it cached before.
    let during = (removed.1)(&a, &admin, "cut-during");
    warm(&b, &b_management, &during.probe, "during");
    assert!(cut_listeners(&a) >= 2, "each instance has a listener");
    let cut = Instant::now();
    (during.revoke)(&a.client);
    assert!(
        !during.probe.works(&b),
        "served from a cache that could not hear the change ({:?} after the cut)",
        cut.elapsed()
    );

    // Back again: what changed while it was away was forgotten, and the cache serves again.
    let after = (sign_out.1)(&a, &admin, "cut-before");
    assert!(after.probe.works(&b));
    wait_for_trust(&b_management, 1);
    assert!(
        !during.probe.works(&b),
        "the change made while it was away holds"
    );
    let hits = cache_hits(&b_management);
    warm(&b, &b_management, &after.probe, "after reconnecting");
    assert!(cache_hits(&b_management) > hits);
    (after.revoke)(&a.client);
    let revoked = Instant::now();
    while after.probe.works(&b) {
        assert!(
            revoked.elapsed() < Duration::from_millis(100),
            "heard again after reconnecting"
        );
    }
}
