//! Several instances on one database: each message is sent once while they are healthy, and a
//! claim left by an instance that died is taken over when its lease runs out.

use std::collections::HashMap;
use std::time::Duration;

use roster_domain::WebhookId;
use roster_store::webhooks::DeliveryRow;
use roster_store::{NullableDbId, Ts};
use roster_tests::receiver::Receiver;
use roster_tests::{spawn_server, with_admin, Backend, Client};
use serde_json::json;

use super::{create, create_for, LOOPBACK};

/// Two instances under a burst of writes (made through both): every event reaches the
/// endpoint, and none twice. PostgreSQL only: SQLite is one process.
#[test]
fn two_instances_deliver_every_message_once() {
    with_admin(LOOPBACK, |app, admin| {
        if app.backend != Backend::Postgres {
            return;
        }
        let second = Client::new(&spawn_server(&app.db.url, LOOPBACK));
        let receiver = Receiver::start();
        create(
            app,
            admin,
            json!({"url": receiver.url, "event_types": ["organization.created"]}),
        );
        const ORGS: usize = 120;
        std::thread::scope(|scope| {
            for half in 0..2 {
                let (client, token) = (if half == 0 { &app.client } else { &second }, &admin.token);
                scope.spawn(move || {
                    for n in (half..ORGS).step_by(2) {
                        let res = client.post(
                            "/v1/organizations",
                            Some(token),
                            &json!({"name": format!("burst-{n}")}),
                        );
                        assert_eq!(res.status, 201, "{}", res.text);
                    }
                });
            }
        });
        receiver.wait_for(Duration::from_secs(30), |r| r.len() >= ORGS);
        std::thread::sleep(Duration::from_millis(500)); // a duplicate would arrive meanwhile
        let got = receiver.received();
        let mut per_message: HashMap<String, usize> = HashMap::new();
        for message in &got {
            *per_message
                .entry(message.header("webhook-id").to_owned())
                .or_default() += 1;
        }
        assert_eq!(per_message.len(), ORGS, "every event was delivered");
        let twice: Vec<_> = per_message.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "sent more than once: {twice:?}");
    });
}

/// A delivery claimed by an instance that then died (its lease written, never finished) is
/// sent once the lease has run out, and not before.
#[test]
fn a_dead_instances_claim_is_taken_over_when_its_lease_expires() {
    with_admin(LOOPBACK, |app, admin| {
        let receiver = Receiver::start();
        let endpoint = create_for(app, admin, &receiver.url);
        let id = WebhookId::parse(endpoint["id"].as_str().unwrap()).unwrap();
        let db = crate::support::stored::db(app);
        let now = chrono::Utc::now();
        let claimed = |label: &str, until: chrono::DateTime<chrono::Utc>| {
            let mut row = DeliveryRow::new(
                id,
                None,
                "webhook.test",
                Some(json!({"label": label})),
                Ts(now),
            );
            row.leased_by = NullableDbId(Some(roster_store::DbId(uuid::Uuid::now_v7())));
            row.leased_until = Some(Ts(until));
            row
        };
        let expired = claimed("expired", now - chrono::Duration::seconds(1));
        let live = claimed("live", now + chrono::Duration::hours(1));
        db.write(|conn| {
            roster_store::webhooks::insert_deliveries(conn, &[expired.clone(), live.clone()])
        })
        .unwrap();
        // Wake the dispatcher (a test message of its own) and wait for both to be looked at.
        let queued = app.client.post(
            &format!("/v1/webhooks/{id}/test"),
            Some(&admin.token),
            &json!({}),
        );
        assert_eq!(queued.status, 202);
        let got = receiver.wait_for(Duration::from_secs(20), |r| r.len() >= 2);
        std::thread::sleep(Duration::from_millis(1500));
        let labels: Vec<String> = receiver
            .received()
            .iter()
            .filter_map(|m| m.json()["data"]["label"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(
            labels,
            ["expired"],
            "taken over: the expired claim only ({got:?})"
        );
    });
}
