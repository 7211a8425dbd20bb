//! Failed attempts are retried on the schedule, then the delivery fails; a retry by hand sends
//! it again; an endpoint that fails for five days is disabled.

use std::time::Duration;

use roster_tests::receiver::Receiver;
use roster_tests::{with_admin, TestApp, TestUser};
use serde_json::{json, Value};

use super::{create, settled, LOOPBACK};

fn attempts(app: &TestApp, admin: &TestUser, endpoint: &Value, delivery: &Value) -> Vec<Value> {
    let res = app.client.get(
        &format!(
            "/v1/webhooks/{}/deliveries/{}/attempts",
            endpoint["id"].as_str().unwrap(),
            delivery["id"].as_str().unwrap()
        ),
        Some(&admin.token),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["data"].as_array().unwrap().clone()
}

fn touch_profile(app: &TestApp, admin: &TestUser) {
    let res = app.client.patch(
        "/v1/users/me",
        Some(&admin.token),
        &json!({"name": "Again"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
}

#[test]
fn a_failing_attempt_is_retried_until_it_succeeds() {
    with_admin(LOOPBACK, |app, admin| {
        let receiver = Receiver::answering(|n| (if n < 2 { 500 } else { 200 }, Duration::ZERO));
        let endpoint = create(
            app,
            admin,
            json!({"url": receiver.url, "event_types": ["user.updated"]}),
        );
        touch_profile(app, admin);
        let delivery = settled(app, admin, &endpoint, "user.updated");
        assert_eq!(delivery["status"], "succeeded", "{delivery}");
        assert_eq!(delivery["attempts"], 3);
        let tries = attempts(app, admin, &endpoint, &delivery);
        let outcomes: Vec<(i64, Value, Value)> = tries
            .iter()
            .map(|a| {
                (
                    a["number"].as_i64().unwrap(),
                    a["response_status"].clone(),
                    a["error"].clone(),
                )
            })
            .collect();
        assert_eq!(
            outcomes,
            [
                (1, json!(500), json!("status")),
                (2, json!(500), json!("status")),
                (3, json!(200), json!(null)),
            ]
        );
        let received = receiver.received();
        assert_eq!(received.len(), 3);
        assert!(
            received
                .iter()
                .all(|m| m.header("webhook-id") == delivery["id"].as_str().unwrap()),
            "every retry carries the same webhook-id"
        );
    });
}

#[test]
fn a_delivery_fails_when_the_schedule_is_used_up_and_can_be_retried_by_hand() {
    with_admin(LOOPBACK, |app, admin| {
        let receiver = Receiver::answering(|n| (if n < 3 { 503 } else { 204 }, Duration::ZERO));
        let endpoint = create(
            app,
            admin,
            json!({"url": receiver.url, "event_types": ["user.updated"]}),
        );
        touch_profile(app, admin);
        let delivery = settled(app, admin, &endpoint, "user.updated");
        assert_eq!(delivery["status"], "failed", "{delivery}");
        assert_eq!(
            delivery["attempts"], 3,
            "one attempt and the two retries of the schedule"
        );
        assert_eq!(delivery["last_response_status"], 503);
        let failed = app.client.get(
            &format!(
                "/v1/webhooks/{}/deliveries?status=failed",
                endpoint["id"].as_str().unwrap()
            ),
            Some(&admin.token),
        );
        assert_eq!(failed.body["data"].as_array().unwrap().len(), 1);

        let retried = app.client.post(
            &format!(
                "/v1/webhooks/{}/deliveries/{}/retry",
                endpoint["id"].as_str().unwrap(),
                delivery["id"].as_str().unwrap()
            ),
            Some(&admin.token),
            &json!({}),
        );
        assert_eq!(retried.status, 202, "{}", retried.text);
        assert_eq!(retried.body["status"], "pending");
        let delivery = settled(app, admin, &endpoint, "user.updated");
        assert_eq!(delivery["status"], "succeeded", "{delivery}");
        assert_eq!(attempts(app, admin, &endpoint, &delivery).len(), 4);
    });
}

#[test]
fn redirects_and_refused_connections_are_failed_attempts() {
    with_admin(LOOPBACK, |app, admin| {
        let redirecting = Receiver::answering(|_| (302, Duration::ZERO));
        let endpoint = create(
            app,
            admin,
            json!({"url": redirecting.url, "event_types": ["user.updated"]}),
        );
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let nowhere = create(
            app,
            admin,
            json!({"url": format!("http://{closed}/hooks"), "event_types": ["user.updated"]}),
        );
        touch_profile(app, admin);
        let delivery = settled(app, admin, &endpoint, "user.updated");
        assert_eq!(delivery["last_error"], "redirect", "{delivery}");
        assert_eq!(delivery["last_response_status"], 302);
        assert_eq!(redirecting.received().len(), 3, "no redirect was followed");
        let delivery = settled(app, admin, &nowhere, "user.updated");
        assert_eq!(delivery["last_error"], "connection", "{delivery}");
        assert_eq!(delivery["last_response_status"], json!(null));
    });
}

#[test]
fn an_endpoint_failing_for_five_days_is_disabled_and_can_be_enabled_again() {
    with_admin(LOOPBACK, |app, admin| {
        let receiver = Receiver::answering(|_| (500, Duration::ZERO));
        let endpoint = create(
            app,
            admin,
            json!({"url": receiver.url, "event_types": ["user.updated"]}),
        );
        let id = roster_domain::WebhookId::parse(endpoint["id"].as_str().unwrap()).unwrap();
        // It has failed every attempt since six days ago.
        let db = crate::support::stored::db(app);
        db.write(|conn| {
            let mut row = roster_store::webhooks::find_endpoint(conn, id)?.unwrap();
            row.failing_since = Some(roster_store::Ts(
                chrono::Utc::now() - chrono::Duration::days(6),
            ));
            roster_store::webhooks::save_endpoint(conn, &row)
        })
        .unwrap();
        touch_profile(app, admin);
        settled(app, admin, &endpoint, "user.updated");
        let path = format!("/v1/webhooks/{id}");
        let read = app.client.get(&path, Some(&admin.token));
        assert_eq!(read.body["enabled"], false, "{}", read.text);
        assert_eq!(read.body["disabled_reason"], "failing");
        assert!(crate::support::events::stored_events(app)
            .iter()
            .any(|e| e.kind == "webhook.disabled"));
        let enabled = app
            .client
            .patch(&path, Some(&admin.token), &json!({"enabled": true}));
        assert_eq!(enabled.status, 200);
        assert_eq!(enabled.body["disabled_reason"], json!(null));
    });
}
