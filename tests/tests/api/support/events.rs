//! Reading the audit log back.

use roster_tests::{TestApp, TestUser};
use serde_json::Value;

/// Every event `path` lists for `user` (following `next` links), oldest first.
pub fn all_events(app: &TestApp, user: &TestUser, path: &str) -> Vec<Value> {
    let mut events = Vec::new();
    let mut next = Some(path.to_owned());
    while let Some(page) = next {
        let res = app.client.get(&page, Some(&user.token));
        assert_eq!(res.status, 200, "{page}: {}", res.text);
        events.extend(res.body["data"].as_array().unwrap().iter().cloned());
        next = res.body["links"]["next"].as_str().map(str::to_owned);
    }
    events
}

/// The `type` of each event, in order.
pub fn types(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

/// The organization's events as its owner (or anyone with `events:read`) reads them.
pub fn organization_events(app: &TestApp, user: &TestUser, org: &str) -> Vec<Value> {
    all_events(app, user, &format!("/v1/organizations/{org}/events"))
}

/// Every event in the store, oldest first, read as `GET /v1/events` does: after numbering
/// those committed but not yet given their position by the background sequencer.
pub fn stored_events(app: &TestApp) -> Vec<roster_store::events::EventRow> {
    crate::support::stored::db(app)
        .write(|conn| {
            roster_store::events::sequence(conn, 100_000)?;
            roster_store::events::list_all(conn, None, &Default::default(), 0, 100_000)
        })
        .unwrap()
}
