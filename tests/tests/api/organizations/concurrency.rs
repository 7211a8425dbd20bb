//! Lost updates are prevented: `If-Match` on PATCH and DELETE (412 when another write came
//! first), and last-writer-wins for concurrent writers that did not ask for it.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::organizations::{etag_of, get_org};

fn patch_with_a_stale_if_match_is_412_and_changes_nothing(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let first = get_org(app, &alice, "acme");
    let stale = first.header("etag").unwrap().to_owned();

    let res = app.client.send_with(
        "PATCH",
        "/v1/organizations/acme",
        Some(&alice.token),
        &[("If-Match", &stale)],
        Some(&json!({"description": "first"})),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let current = res.header("etag").unwrap().to_owned();
    assert_ne!(current, stale);

    let res = app.client.send_with(
        "PATCH",
        "/v1/organizations/acme",
        Some(&alice.token),
        &[("If-Match", &stale)],
        Some(&json!({"description": "lost update"})),
    );
    assert_problem(&res, 412, "precondition-failed");
    let fetched = get_org(app, &alice, "acme");
    assert_eq!(fetched.body["description"], "first");
    assert_eq!(fetched.header("etag"), Some(current.as_str()));

    let res = app.client.send_with(
        "PATCH",
        "/v1/organizations/acme",
        Some(&alice.token),
        &[("If-Match", &current)],
        Some(&json!({"description": "second"})),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["description"], "second");
    let newest = res.header("etag").unwrap().to_owned();
    assert_ne!(newest, current);
    assert_eq!(
        get_org(app, &alice, "acme").header("etag"),
        Some(newest.as_str())
    );

    // If-Match compares strongly: a weak tag never matches; `*` and a list do.
    let weak = format!("W/{newest}");
    let patch = json!({"description": "third"});
    let res = app.client.send_with(
        "PATCH",
        "/v1/organizations/acme",
        Some(&alice.token),
        &[("If-Match", &weak)],
        Some(&patch),
    );
    assert_problem(&res, 412, "precondition-failed");
    let list = format!("{stale}, {newest}");
    let res = app.client.send_with(
        "PATCH",
        "/v1/organizations/acme",
        Some(&alice.token),
        &[("If-Match", &list)],
        Some(&patch),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app.client.send_with(
        "PATCH",
        "/v1/organizations/acme",
        Some(&alice.token),
        &[("If-Match", "*")],
        Some(&json!({"description": "fourth"})),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(get_org(app, &alice, "acme").body["description"], "fourth");
}

fn delete_with_a_stale_if_match_is_412_and_keeps_it_open(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let stale = get_org(app, &alice, "acme")
        .header("etag")
        .unwrap()
        .to_owned();
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"description": "moved on"}),
    );
    assert_eq!(res.status, 200);
    let current = res.header("etag").unwrap().to_owned();

    for path in [
        "/v1/organizations/acme",
        "/v1/organizations/acme?force=true&confirm=acme",
    ] {
        let res = app.client.send_with(
            "DELETE",
            path,
            Some(&alice.token),
            &[("If-Match", &stale)],
            None,
        );
        assert_problem(&res, 412, "precondition-failed");
    }
    let fetched = get_org(app, &alice, "acme");
    assert_eq!(fetched.body["state"], "active");

    let res = app.client.send_with(
        "DELETE",
        "/v1/organizations/acme",
        Some(&alice.token),
        &[("If-Match", &current)],
        None,
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "closed");
}

/// Sends `WRITERS` PATCHes of `acme` at once, each with its own description and the given
/// extra headers; returns each writer's status and body.
fn concurrent_patches(app: &TestApp, token: &str, headers: &[(&str, &str)]) -> Vec<(u16, String)> {
    const WRITERS: usize = 10;
    std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|i| {
                let base = app.base.as_str();
                scope.spawn(move || {
                    let client = roster_tests::Client::new(base);
                    let res = client.send_with(
                        "PATCH",
                        "/v1/organizations/acme",
                        Some(token),
                        headers,
                        Some(&json!({"description": format!("writer {i}")})),
                    );
                    (res.status, res.text)
                })
            })
            .collect();
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    })
}

/// A client that did not ask for optimistic concurrency gets last-writer-wins: every
/// concurrent PATCH applies, one after the other, and none is refused.
fn concurrent_patches_without_if_match_all_apply(app: &TestApp) {
    let alice = app.sign_up("alice");
    let org = app.create_org(&alice, "acme");
    let outcomes = concurrent_patches(app, &alice.token, &[]);
    for (status, text) in &outcomes {
        assert_eq!(*status, 200, "{text}");
    }
    let now = get_org(app, &alice, "acme");
    let version = u32::try_from(outcomes.len()).unwrap() + 1;
    assert_eq!(
        now.header("etag"),
        Some(etag_of(&org, version).as_str()),
        "every 200 is one write"
    );
    let description = now.body["description"].as_str().unwrap();
    assert!(description.starts_with("writer "), "{description}");
}

/// With the same `If-Match`, exactly one concurrent PATCH wins; the others are 412, never 409.
fn concurrent_patches_with_one_if_match_let_exactly_one_win(app: &TestApp) {
    let alice = app.sign_up("alice");
    let org = app.create_org(&alice, "acme");
    let etag = etag_of(&org, 1);
    let outcomes = concurrent_patches(app, &alice.token, &[("If-Match", &etag)]);
    let won = outcomes.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(won, 1, "{outcomes:?}");
    for (status, text) in outcomes.iter().filter(|(status, _)| *status != 200) {
        assert_eq!(*status, 412, "{text}");
    }
    assert_eq!(
        get_org(app, &alice, "acme").header("etag"),
        Some(etag_of(&org, 2).as_str())
    );
}

backend_tests!(
    patch_with_a_stale_if_match_is_412_and_changes_nothing,
    delete_with_a_stale_if_match_is_412_and_keeps_it_open,
    concurrent_patches_without_if_match_all_apply,
    concurrent_patches_with_one_if_match_let_exactly_one_win,
);
