//! Webhooks: endpoints, signed deliveries, retries, targets, and several instances at once.

mod catalogue;
mod delivery;
mod endpoints;
mod instances;
mod processes;
mod retries;

use roster_tests::{TestApp, TestUser};
use serde_json::{json, Value};

/// The flags of a server whose webhooks may reach the tests' receivers on loopback.
pub const LOOPBACK: &[&str] = &[
    "--webhooks-allow-private-targets",
    "--webhooks-retry-schedule",
    "200ms,200ms",
];

/// Creates an endpoint as `admin`; returns it (with its `secret`).
pub fn create(app: &TestApp, admin: &TestUser, body: Value) -> Value {
    let made = app.client.post("/v1/webhooks", Some(&admin.token), &body);
    assert_eq!(made.status, 201, "{}", made.text);
    made.body
}

/// An endpoint for `url` that gets every event.
pub fn create_for(app: &TestApp, admin: &TestUser, url: &str) -> Value {
    create(app, admin, json!({ "url": url }))
}

/// The endpoint's deliveries, newest first.
pub fn deliveries(app: &TestApp, admin: &TestUser, endpoint: &Value) -> Vec<Value> {
    let res = app.client.get(
        &format!(
            "/v1/webhooks/{}/deliveries?limit=1000",
            endpoint["id"].as_str().unwrap()
        ),
        Some(&admin.token),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["data"].as_array().unwrap().clone()
}

/// Waits until the endpoint's delivery of `event_type` has left `pending`; returns it.
pub fn settled(app: &TestApp, admin: &TestUser, endpoint: &Value, event_type: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let found = deliveries(app, admin, endpoint)
            .into_iter()
            .find(|d| d["event_type"] == event_type);
        if let Some(delivery) = &found {
            if delivery["status"] != "pending" || std::time::Instant::now() > deadline {
                return delivery.clone();
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {event_type} delivery settled"
        );
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}
