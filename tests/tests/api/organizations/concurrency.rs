//! Lost updates are prevented: `If-Match` on PATCH and DELETE, and concurrent writers that
//! either apply or conflict.

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

fn concurrent_patches_either_apply_or_conflict_never_lose_a_write(app: &TestApp) {
    const WRITERS: usize = 8;
    let alice = app.sign_up("alice");
    let org = app.create_org(&alice, "acme");
    let outcomes: Vec<(u16, String)> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|i| {
                let (base, token) = (app.base.as_str(), alice.token.as_str());
                scope.spawn(move || {
                    let client = roster_tests::Client::new(base);
                    let res = client.patch(
                        "/v1/organizations/acme",
                        Some(token),
                        &json!({"description": format!("writer {i}")}),
                    );
                    (res.status, res.text)
                })
            })
            .collect();
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    for (status, text) in &outcomes {
        assert!(*status == 200 || *status == 409, "{status}: {text}");
    }
    let applied = outcomes.iter().filter(|(status, _)| *status == 200).count();
    assert!(applied >= 1);
    let now = get_org(app, &alice, "acme");
    let version = u32::try_from(applied).unwrap() + 1;
    assert_eq!(
        now.header("etag"),
        Some(etag_of(&org, version).as_str()),
        "every 200 is one write"
    );
}

backend_tests!(
    patch_with_a_stale_if_match_is_412_and_changes_nothing,
    delete_with_a_stale_if_match_is_412_and_keeps_it_open,
    concurrent_patches_either_apply_or_conflict_never_lose_a_write,
);
