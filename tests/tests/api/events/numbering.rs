//! Events are numbered: within an organization in the writing transaction, without gaps and in
//! commit order; in the whole log after commit, by the sequencer. Either way a reader paging
//! with `after` never skips one that committed late.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use roster_domain::{EventId, OrganizationId};
use roster_store::events::{self, Actor, NewEvent};
use roster_store::StoreError;
use roster_tests::{backend_tests, with_admin, Backend, Client, TestApp};
use serde_json::json;

use crate::support::events::{organization_events, stored_events};
use crate::support::stored::db;

fn concurrent_writers_number_events_without_gaps(app: &TestApp) {
    const WRITERS: usize = 6;
    const WRITES: usize = 5;
    let ada = app.sign_up("ada");
    for name in ["acme", "globex"] {
        app.create_org(&ada, name);
    }
    std::thread::scope(|scope| {
        for writer in 0..WRITERS {
            let (base, token) = (app.base.as_str(), ada.token.as_str());
            scope.spawn(move || {
                let client = Client::new(base);
                for write in 0..WRITES {
                    let org = if (writer + write) % 2 == 0 {
                        "acme"
                    } else {
                        "globex"
                    };
                    let res = client.patch(
                        &format!("/v1/organizations/{org}"),
                        Some(token),
                        &json!({"description": format!("{writer}/{write}")}),
                    );
                    assert_eq!(res.status, 200, "{}", res.text);
                }
            });
        }
    });
    let mut total = 0;
    for name in ["acme", "globex"] {
        let sequences: Vec<i64> = organization_events(app, &ada, name)
            .iter()
            .map(|e| e["sequence"].as_i64().unwrap())
            .collect();
        let expected: Vec<i64> = (1..=sequences.len() as i64).collect();
        assert_eq!(sequences, expected, "{name}");
        total += sequences.len();
    }
    assert_eq!(total, 2 * 2 + WRITERS * WRITES);
    // Positions are given after commit, by the sequencer: number whatever it has not yet.
    let positions: Vec<i64> = stored_events(app)
        .iter()
        .map(|e| e.position.unwrap())
        .collect();
    let expected: Vec<i64> = (1..=positions.len() as i64).collect();
    assert_eq!(
        positions, expected,
        "every event has its place, none skipped"
    );
}

/// A transaction takes the organization's next number and commits late; a request's event
/// meanwhile waits for it, so a reader following the log never sees the later event first.
fn a_late_commit_is_never_skipped_by_a_reader(app: &TestApp) {
    let ada = app.sign_up("ada");
    let org = app.create_org(&ada, "acme");
    let org_id = OrganizationId::parse(org["id"].as_str().unwrap()).unwrap();
    let store = db(app);
    let both_started = Barrier::new(2);
    let mut seen: Vec<i64> = Vec::new();
    std::thread::scope(|scope| {
        let late = scope.spawn(|| {
            store
                .write(|conn| {
                    events::append(conn, vec![slow_event(org_id)])?;
                    both_started.wait();
                    std::thread::sleep(Duration::from_millis(800));
                    Ok::<_, StoreError>(())
                })
                .unwrap();
        });
        both_started.wait();
        let (base, token) = (app.base.as_str(), ada.token.as_str());
        let writer = scope.spawn(move || {
            let res = Client::new(base).patch(
                "/v1/organizations/acme",
                Some(token),
                &json!({"description": "meanwhile"}),
            );
            assert_eq!(res.status, 200, "{}", res.text);
        });
        // Follow the log as a consumer would, from where it stood, until both have committed.
        let started = Instant::now();
        let mut after = 2;
        while seen.len() < 2 && started.elapsed() < Duration::from_secs(20) {
            let page = app.client.get(
                &format!("/v1/organizations/acme/events?after={}", cursor(after)),
                Some(&ada.token),
            );
            for event in page.body["data"].as_array().unwrap() {
                after = event["sequence"].as_i64().unwrap();
                seen.push(after);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        late.join().unwrap();
        writer.join().unwrap();
    });
    assert_eq!(
        seen,
        [3, 4],
        "the reader saw every event, in order, none skipped"
    );
    let kinds: Vec<String> = organization_events(app, &ada, "acme")
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds[2], "test.late");
    assert_eq!(kinds[3], "organization.updated");
}

/// The whole log (`GET /v1/events`) is ordered by a position given after commit: a
/// transaction that commits late does not hold other tenants' writes back (on PostgreSQL they
/// commit meanwhile), and a consumer paging with `after` still gets its event, after theirs.
#[test]
fn the_whole_log_never_skips_a_late_commit() {
    with_admin(&[], |app, admin| {
        app.create_org(admin, "acme");
        let globex = app.create_org(admin, "globex");
        let globex_id = OrganizationId::parse(globex["id"].as_str().unwrap()).unwrap();
        // Catch up with everything so far.
        let mut after = 0;
        let mut seen: Vec<(i64, String)> = Vec::new();
        let follow = |seen: &mut Vec<(i64, String)>, after: &mut i64| {
            let page = app.client.get(
                &format!("/v1/events?limit=1000&after={}", cursor(*after)),
                Some(&admin.token),
            );
            assert_eq!(page.status, 200, "{}", page.text);
            for event in page.body["data"].as_array().unwrap() {
                let (id, kind) = (
                    event["id"].as_str().unwrap(),
                    event["type"].as_str().unwrap(),
                );
                let position = seen.len() as i64 + 1;
                seen.push((position, format!("{kind} {id}")));
            }
            *after = seen.len() as i64;
        };
        follow(&mut seen, &mut after);
        let caught_up = seen.len();
        let store = db(app);
        let late_committed = AtomicBool::new(false);
        let both_started = Barrier::new(2);
        std::thread::scope(|scope| {
            let late = scope.spawn(|| {
                store
                    .write(|conn| {
                        events::append(conn, vec![slow_event(globex_id)])?;
                        both_started.wait();
                        std::thread::sleep(Duration::from_millis(800));
                        Ok::<_, StoreError>(())
                    })
                    .unwrap();
                late_committed.store(true, Ordering::SeqCst);
            });
            both_started.wait();
            let res = app.client.patch(
                "/v1/organizations/acme",
                Some(&admin.token),
                &json!({"description": "meanwhile"}),
            );
            assert_eq!(res.status, 200, "{}", res.text);
            if app.backend == Backend::Postgres {
                assert!(
                    !late_committed.load(Ordering::SeqCst),
                    "another tenant's write waited for the late transaction's commit"
                );
            }
            let started = Instant::now();
            while seen.len() < caught_up + 2 && started.elapsed() < Duration::from_secs(20) {
                follow(&mut seen, &mut after);
                std::thread::sleep(Duration::from_millis(20));
            }
            late.join().unwrap();
        });
        let new: Vec<&str> = seen[caught_up..]
            .iter()
            .map(|(_, e)| e.split(' ').next().unwrap())
            .collect();
        let mut sorted = new.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            ["organization.updated", "test.late"],
            "the consumer got both events, once each"
        );
        // The positions the API pages by are gapless: nothing was skipped on the way.
        let listed = stored_events(app);
        let positions: Vec<i64> = listed.iter().map(|e| e.position.unwrap()).collect();
        assert_eq!(positions, (1..=positions.len() as i64).collect::<Vec<_>>());
    });
}

fn slow_event(organization: OrganizationId) -> NewEvent {
    NewEvent {
        id: EventId::new(),
        kind: "test.late".into(),
        organization_id: Some(organization),
        actor: Actor::System,
        target_type: "organization",
        target_id: organization.to_string(),
        data: json!({}),
        request_id: None,
        ip: None,
        user_agent: None,
        created_at: roster_store::Ts::now(),
    }
}

/// The cursor that continues after sequence `n` (as the API issues them).
fn cursor(n: i64) -> String {
    crate::support::cursors::base64url(json!({"after": n}).to_string().as_bytes())
}

backend_tests!(
    concurrent_writers_number_events_without_gaps,
    a_late_commit_is_never_skipped_by_a_reader,
);
