//! Messages: each matching event reaches its endpoint, as the audit log shows it, signed as
//! Standard Webhooks says.

use std::time::Duration;

use roster_tests::receiver::{Received, Receiver};
use roster_tests::with_admin;
use roster_webhooks::{verify, Secret};
use serde_json::json;

use super::{create, create_for, settled, LOOPBACK};

fn verifies(secret: &str, message: &Received) -> bool {
    let secret = Secret::parse(secret).unwrap();
    let timestamp: i64 = message.header("webhook-timestamp").parse().unwrap();
    verify(
        &secret,
        message.header("webhook-id"),
        timestamp,
        &message.body,
        message.header("webhook-signature"),
    )
}

#[test]
fn an_event_reaches_its_endpoint_signed_and_as_the_log_shows_it() {
    with_admin(LOOPBACK, |app, admin| {
        let receiver = Receiver::start();
        let endpoint = create_for(app, admin, &receiver.url);
        let secret = endpoint["secret"].as_str().unwrap();
        app.create_org(admin, "acme");
        let got = receiver.wait_for(Duration::from_secs(20), |r| {
            r.iter().any(|m| m.json()["type"] == "organization.created")
        });
        let message = got
            .iter()
            .find(|m| m.json()["type"] == "organization.created")
            .expect("the organization.created message");
        assert!(verifies(secret, message), "the signature verifies");
        assert!(!verifies(&Secret::generate().reveal(), message));
        assert_eq!(message.header("content-type"), "application/json");
        let now = chrono::Utc::now().timestamp();
        let sent: i64 = message.header("webhook-timestamp").parse().unwrap();
        assert!(
            (now - sent).abs() < 60,
            "the timestamp is the attempt's time"
        );

        let logged =
            crate::support::events::all_events(app, admin, "/v1/events?type=organization.created");
        assert_eq!(
            message.json()["data"],
            logged[0],
            "the message carries the event as GET /v1/events shows it"
        );
        assert_eq!(message.json()["timestamp"], logged[0]["created_at"]);

        let delivery = settled(app, admin, &endpoint, "organization.created");
        assert_eq!(delivery["status"], "succeeded");
        assert_eq!(delivery["attempts"], 1);
        assert_eq!(delivery["last_response_status"], 204);
        assert_eq!(
            message.header("webhook-id"),
            delivery["id"],
            "webhook-id is the delivery's id"
        );
        assert_eq!(delivery["event_id"], logged[0]["id"]);
    });
}

#[test]
fn endpoints_get_only_the_types_and_the_organization_they_ask_for() {
    with_admin(LOOPBACK, |app, admin| {
        let acme = app.create_org(admin, "acme");
        let receiver = Receiver::start();
        create(
            app,
            admin,
            json!({"url": receiver.url, "event_types": ["organization.updated", "role.*"],
                   "organization_id": acme["id"]}),
        );
        let disabled = Receiver::start();
        create(app, admin, json!({"url": disabled.url, "enabled": false}));
        app.create_org(admin, "globex");
        for org in ["acme", "globex"] {
            let res = app.client.patch(
                &format!("/v1/organizations/{org}"),
                Some(&admin.token),
                &json!({"description": "changed"}),
            );
            assert_eq!(res.status, 200);
            let res = app.client.post(
                &format!("/v1/organizations/{org}/roles"),
                Some(&admin.token),
                &json!({"key": "auditor", "name": "Auditor", "permissions": []}),
            );
            assert_eq!(res.status, 201, "{}", res.text);
        }
        receiver.wait_for(Duration::from_secs(20), |r| r.len() >= 2);
        // Anything else would have come with these (one sequencer batch, one dispatcher).
        std::thread::sleep(Duration::from_millis(500));
        let got: Vec<(String, String)> = receiver
            .received()
            .iter()
            .map(|m| {
                let body = m.json();
                (
                    body["type"].as_str().unwrap().to_owned(),
                    body["data"]["organization_id"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let mut kinds: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
        kinds.sort();
        assert_eq!(kinds, ["organization.updated", "role.created"], "{got:?}");
        assert!(got
            .iter()
            .all(|(_, org)| org == acme["id"].as_str().unwrap()));
        assert!(
            disabled.received().is_empty(),
            "a disabled endpoint gets no events"
        );
    });
}

#[test]
fn the_test_message_and_a_rotated_secret() {
    with_admin(LOOPBACK, |app, admin| {
        let receiver = Receiver::start();
        let endpoint = create(
            app,
            admin,
            json!({"url": receiver.url, "event_types": ["user.updated"]}),
        );
        let id = endpoint["id"].as_str().unwrap();
        let old = endpoint["secret"].as_str().unwrap().to_owned();
        let queued = app.client.post(
            &format!("/v1/webhooks/{id}/test"),
            Some(&admin.token),
            &json!({}),
        );
        assert_eq!(queued.status, 202, "{}", queued.text);
        assert_eq!(queued.body["event_type"], "webhook.test");
        let got = receiver.wait_for(Duration::from_secs(20), |r| !r.is_empty());
        assert_eq!(got[0].json()["type"], "webhook.test");
        assert_eq!(got[0].json()["data"]["webhook_id"], id);
        assert!(verifies(&old, &got[0]));

        let rotated = app.client.post(
            &format!("/v1/webhooks/{id}/rotate-secret"),
            Some(&admin.token),
            &json!({}),
        );
        assert_eq!(rotated.status, 200, "{}", rotated.text);
        let new = rotated.body["secret"].as_str().unwrap().to_owned();
        assert_ne!(new, old);
        let res = app.client.patch(
            "/v1/users/me",
            Some(&admin.token),
            &json!({"name": "Rotated"}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        let got = receiver.wait_for(Duration::from_secs(20), |r| r.len() >= 2);
        let message = &got[1];
        assert_eq!(message.json()["type"], "user.updated");
        assert_eq!(
            message.header("webhook-signature").split(' ').count(),
            2,
            "both secrets sign during the overlap"
        );
        assert!(verifies(&new, message), "the new secret verifies");
        assert!(
            verifies(&old, message),
            "the old one still does, for 24 hours"
        );
    });
}

/// Endpoints that want the same event each get it whole, also when their deliveries are
/// claimed in one batch (the second once carried `"data": null`).
#[test]
fn one_event_for_several_endpoints_reaches_each_whole() {
    with_admin(LOOPBACK, |app, admin| {
        let receivers: Vec<Receiver> = (0..4).map(|_| Receiver::start()).collect();
        for receiver in &receivers {
            create_for(app, admin, &receiver.url);
        }
        app.create_org(admin, "shared-event");
        let logged =
            crate::support::events::all_events(app, admin, "/v1/events?type=organization.created");
        for receiver in &receivers {
            let got = receiver.wait_for(Duration::from_secs(20), |r| {
                r.iter().any(|m| m.json()["type"] == "organization.created")
            });
            let message = got
                .iter()
                .find(|m| m.json()["type"] == "organization.created")
                .unwrap();
            assert_eq!(message.json()["data"], logged[0], "{}", message.json());
        }
    });
}
