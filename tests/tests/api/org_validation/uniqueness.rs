//! Names and references are unique: a taken one is a 409, even under concurrent creates, and
//! a former name is free to take.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::{json, Value};

use crate::support::organizations::{get_org, listed_names};

fn concurrent_creates_of_one_name_give_one_201_and_409s(app: &TestApp) {
    const RACERS: usize = 8;
    let alice = app.sign_up("alice");
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let racers: Vec<_> = (0..RACERS)
            .map(|i| {
                let (base, token) = (app.base.as_str(), alice.token.as_str());
                scope.spawn(move || {
                    let client = roster_tests::Client::new(base);
                    let body = json!({"name": "contested", "reference": format!("r{i}")});
                    let res = client.post("/v1/organizations", Some(token), &body);
                    assert!(res.status == 201 || res.status == 409, "{}", res.text);
                    res.status
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(listed_names(app, &alice, ""), ["contested"]);
}

fn a_taken_name_is_409_even_when_its_organization_is_closed(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    app.create_org(&alice, "acme");
    let res = app.client.post(
        "/v1/organizations",
        Some(&bob.token),
        &json!({"name": "acme"}),
    );
    assert_problem(&res, 409, "conflict");
    assert!(listed_names(app, &bob, "").is_empty());

    assert_eq!(
        app.client
            .delete("/v1/organizations/acme", Some(&alice.token))
            .status,
        200
    );
    let res = app.client.post(
        "/v1/organizations",
        Some(&bob.token),
        &json!({"name": "acme"}),
    );
    assert_problem(&res, 409, "conflict");
}

fn renaming_to_a_taken_name_is_409_and_changes_nothing(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    app.create_org(&alice, "globex");
    let before = get_org(app, &alice, "acme");
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"name": "globex", "description": "x"}),
    );
    assert_problem(&res, 409, "conflict");
    assert_eq!(get_org(app, &alice, "acme").body, before.body);
    assert_eq!(get_org(app, &alice, "globex").status, 200);
}

fn a_taken_reference_is_409_and_unset_references_never_clash(app: &TestApp) {
    let alice = app.sign_up("alice");
    let created = |name: &str, extra: Value| {
        let mut body = json!({"name": name});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        app.client
            .post("/v1/organizations", Some(&alice.token), &body)
    };
    assert_eq!(created("one", json!({"reference": "crm-1"})).status, 201);
    let res = created("two", json!({"reference": "crm-1"}));
    assert_problem(&res, 409, "conflict");
    assert_eq!(listed_names(app, &alice, "sort=name"), ["one"]);

    assert_eq!(created("three", json!({})).status, 201);
    assert_eq!(created("four", json!({"reference": null})).status, 201);
    assert_eq!(
        created("five", json!({"reference": ""})).status,
        201,
        "empty = unset"
    );
    assert_eq!(created("six", json!({"reference": "crm-2"})).status, 201);

    let res = app.client.patch(
        "/v1/organizations/six",
        Some(&alice.token),
        &json!({"reference": "crm-1"}),
    );
    assert_problem(&res, 409, "conflict");
    assert_eq!(get_org(app, &alice, "six").body["reference"], "crm-2");
    let res = app.client.patch(
        "/v1/organizations/one",
        Some(&alice.token),
        &json!({"reference": null}),
    );
    assert_eq!(res.status, 200);
    let res = app.client.patch(
        "/v1/organizations/six",
        Some(&alice.token),
        &json!({"reference": "crm-1"}),
    );
    assert_eq!(res.status, 200, "a cleared reference is free: {}", res.text);
}

fn a_former_name_can_be_taken_and_its_redirect_ends(app: &TestApp) {
    let alice = app.sign_up("alice");
    let first = app.create_org(&alice, "alpha");
    let res = app.client.patch(
        "/v1/organizations/alpha",
        Some(&alice.token),
        &json!({"name": "alpha-renamed"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(get_org(app, &alice, "alpha").status, 308);

    let second = app.create_org(&alice, "alpha");
    let now = get_org(app, &alice, "alpha");
    assert_eq!(now.status, 200, "no longer a redirect");
    assert_eq!(now.body["id"], second["id"]);
    assert_eq!(
        get_org(app, &alice, "alpha-renamed").body["id"],
        first["id"]
    );

    // The same through a rename: the third takes the first's other former name.
    let res = app.client.patch(
        "/v1/organizations/alpha-renamed",
        Some(&alice.token),
        &json!({"name": "alpha-final"}),
    );
    assert_eq!(res.status, 200);
    app.create_org(&alice, "gamma");
    let res = app.client.patch(
        "/v1/organizations/gamma",
        Some(&alice.token),
        &json!({"name": "alpha-renamed"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let now = get_org(app, &alice, "alpha-renamed");
    assert_eq!(now.status, 200);
    assert_eq!(now.body["name"], "alpha-renamed");
    assert_ne!(now.body["id"], first["id"]);
    // gamma is now a former name of the third organization.
    assert_eq!(
        get_org(app, &alice, "gamma").header("location"),
        Some("/v1/organizations/alpha-renamed")
    );
}

backend_tests!(
    concurrent_creates_of_one_name_give_one_201_and_409s,
    a_taken_name_is_409_even_when_its_organization_is_closed,
    renaming_to_a_taken_name_is_409_and_changes_nothing,
    a_taken_reference_is_409_and_unset_references_never_clash,
    a_former_name_can_be_taken_and_its_redirect_ends,
);
