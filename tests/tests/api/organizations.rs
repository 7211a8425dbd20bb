//! Organizations: every endpoint's success path, then the lifecycle (states, closing, forced
//! deletion, ETags and renames). Validation is in `org_validation`, access in `org_access`.
//!
//! The small request and assertion helpers at the top are shared by the other organization
//! modules.

use chrono::{DateTime, Utc};
use roster_tests::client::send;
use roster_tests::{backend_tests, Res, TestApp, TestUser};
use serde_json::{json, Value};

/// `method path` as `token`, with extra headers and an optional JSON body.
pub(crate) fn send_with(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Res {
    let mut request = app.client.request(method, path, token);
    for (name, value) in headers {
        request = request.set(name, value);
    }
    match body {
        Some(body) => send(request.send_json(body)),
        None => send(request.call()),
    }
}

/// A problem+json response of this status and kind (`https://roster.dev/problems/<kind>`).
pub(crate) fn assert_problem(res: &Res, status: u16, kind: &str) {
    assert_eq!(res.status, status, "expected {status}, got: {}", res.text);
    assert_eq!(
        res.header("content-type"),
        Some("application/problem+json"),
        "{}",
        res.text
    );
    assert_eq!(
        res.body["type"],
        format!("https://roster.dev/problems/{kind}")
    );
    assert_eq!(res.body["status"], status);
}

/// A 422 naming `field` with `code` among its `errors`.
pub(crate) fn assert_field_error(res: &Res, field: &str, code: &str) {
    assert_problem(res, 422, "validation");
    let errors = res.body["errors"].as_array().expect("errors array");
    assert!(
        errors
            .iter()
            .any(|e| e["field"] == field && e["code"] == code && e["message"].is_string()),
        "expected {field}/{code} in {}",
        res.text
    );
}

/// The names of the caller's organizations for a list query (e.g. `state=closed`).
pub(crate) fn listed_names(app: &TestApp, user: &TestUser, query: &str) -> Vec<String> {
    let res = app
        .client
        .get(&format!("/v1/organizations?{query}"), Some(&user.token));
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["data"]
        .as_array()
        .expect("data array")
        .iter()
        .map(|org| org["name"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn get_org(app: &TestApp, user: &TestUser, key: &str) -> Res {
    app.client
        .get(&format!("/v1/organizations/{key}"), Some(&user.token))
}

pub(crate) fn timestamp(value: &Value) -> DateTime<Utc> {
    let text = value.as_str().expect("a timestamp string");
    assert!(text.ends_with('Z'), "not UTC with Z: {text}");
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// The ETag Roster gives an organization at a version: `"<id without hyphens>-<version>"`.
fn etag_of(org: &Value, version: u32) -> String {
    let id = uuid::Uuid::parse_str(org["id"].as_str().unwrap()).unwrap();
    format!("\"{}-{version}\"", id.simple())
}

// ---- create, read, list, update, close, delete ----

fn create_answers_201_with_location_etag_and_the_caller_as_owner(app: &TestApp) {
    let alice = app.sign_up("alice");
    let res = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let org = &res.body;
    let id = org["id"].as_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 7);
    assert_eq!(
        res.header("location"),
        Some(format!("/v1/organizations/{id}").as_str())
    );
    assert_eq!(res.header("etag"), Some(etag_of(org, 1).as_str()));
    assert_eq!(org["name"], "acme");
    assert_eq!(org["display_name"], "acme", "display_name defaults to name");
    assert_eq!(org["state"], "active");
    assert_eq!(org["visibility"], "private");
    assert_eq!(org["personal"], false);
    assert_eq!(org["member_count"], 1);
    assert_eq!(org["custom"], json!({}));
    assert_eq!(
        org["limits"],
        json!({"max_members": null, "max_api_keys": null})
    );
    assert_eq!(org["address"]["country"], Value::Null);
    for empty in [
        "billing_email",
        "description",
        "website",
        "logo_url",
        "reference",
    ] {
        assert_eq!(org[empty], Value::Null, "{empty}");
    }
    assert_eq!(org["closed_at"], Value::Null);
    assert_eq!(timestamp(&org["created_at"]), timestamp(&org["updated_at"]));

    let fetched = app
        .client
        .get(res.header("location").unwrap(), Some(&alice.token));
    assert_eq!(fetched.status, 200);
    assert_eq!(&fetched.body, org);
    assert_eq!(fetched.header("etag"), res.header("etag"));

    let expanded = get_org(app, &alice, "acme?expand=members");
    assert_eq!(expanded.status, 200, "{}", expanded.text);
    let members = expanded.body["members"].as_array().unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0]["user"]["id"], alice.id.as_str());
    assert_eq!(members[0]["user"]["email"], alice.email.as_str());
    assert_eq!(members[0]["role"], "owner");
    assert_eq!(members[0]["organization_id"], id);
    assert_eq!(listed_names(app, &alice, ""), ["acme"]);
}

fn create_stores_every_profile_field(app: &TestApp) {
    let alice = app.sign_up("alice");
    let body = json!({
        "name": "acme-inc",
        "display_name": "  Acme, Inc.  ",
        "billing_email": "Billing@Acme.TEST",
        "description": "Anvils and rockets",
        "website": "https://acme.test",
        "logo_url": "http://acme.test/logo.png",
        "address": {"line1": "Main 1", "city": "Bern", "postal_code": "3000", "country": "ch",
                    "latitude": 46.948, "longitude": 7.447},
        "reference": "crm-4711",
        "custom": {"plan": "gold", "seats": [1, 2]},
        "personal": true,
        "visibility": "public",
        "limits": {"max_members": 50, "max_api_keys": 5}
    });
    let res = app
        .client
        .post("/v1/organizations", Some(&alice.token), &body);
    assert_eq!(res.status, 201, "{}", res.text);
    let org = &res.body;
    assert_eq!(org["display_name"], "Acme, Inc.", "trimmed");
    assert_eq!(org["billing_email"], "billing@acme.test", "lowercased");
    assert_eq!(org["description"], "Anvils and rockets");
    assert_eq!(org["website"], "https://acme.test");
    assert_eq!(org["logo_url"], "http://acme.test/logo.png");
    assert_eq!(
        org["address"],
        json!({"line1": "Main 1", "line2": null, "city": "Bern", "region": null,
               "postal_code": "3000", "country": "CH", "latitude": 46.948, "longitude": 7.447})
    );
    assert_eq!(org["reference"], "crm-4711");
    assert_eq!(org["custom"], json!({"plan": "gold", "seats": [1, 2]}));
    assert_eq!(org["personal"], true);
    assert_eq!(org["visibility"], "public");
    assert_eq!(org["limits"], json!({"max_members": 50, "max_api_keys": 5}));

    let fetched = get_org(app, &alice, org["id"].as_str().unwrap());
    assert_eq!(&fetched.body, org, "what was stored is what was answered");
}

fn create_with_members_builds_every_membership(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    let carol = app.sign_up("carol");
    let res = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "team", "members": [
            {"email": bob.email.to_uppercase(), "role": "admin"},
            {"user_id": carol.id, "role": "viewer"}
        ]}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["member_count"], 3);

    let expanded = get_org(app, &alice, "team?expand=members");
    let mut roles: Vec<(String, String)> = expanded.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["user"]["id"].as_str().unwrap().to_owned(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    roles.sort();
    let mut expected = vec![
        (alice.id.clone(), "owner".to_owned()),
        (bob.id.clone(), "admin".to_owned()),
        (carol.id.clone(), "viewer".to_owned()),
    ];
    expected.sort();
    assert_eq!(roles, expected);
    assert_eq!(listed_names(app, &bob, ""), ["team"]);
    assert_eq!(listed_names(app, &carol, ""), ["team"]);
}

fn create_with_an_unknown_member_is_422_and_creates_nothing(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    let res = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "ghost-town", "members": [
            {"email": "nobody@example.test", "role": "member"}
        ]}),
    );
    assert_field_error(&res, "members[0].email", "not_found");

    // A valid first member does not survive a failing second one: one transaction.
    let res = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "ghost-town", "members": [
            {"user_id": bob.id, "role": "member"},
            {"user_id": uuid::Uuid::now_v7(), "role": "member"}
        ]}),
    );
    assert_field_error(&res, "members[1].user_id", "not_found");

    assert!(listed_names(app, &alice, "").is_empty());
    assert!(listed_names(app, &bob, "").is_empty());
    assert_problem(&get_org(app, &alice, "ghost-town"), 404, "not-found");
    // Nothing holds the name either.
    app.create_org(&alice, "ghost-town");
}

fn get_by_id_and_by_name_return_the_same_organization(app: &TestApp) {
    let alice = app.sign_up("alice");
    let org = app.create_org(&alice, "acme");
    let by_id = get_org(app, &alice, org["id"].as_str().unwrap());
    let by_name = get_org(app, &alice, "acme");
    assert_eq!(by_id.status, 200);
    assert_eq!(by_name.status, 200);
    assert_eq!(by_id.body, org);
    assert_eq!(by_name.body, org);
    assert_eq!(by_id.header("etag"), by_name.header("etag"));
    assert!(
        by_id.body.get("members").is_none(),
        "members only on expand"
    );
    assert_problem(&get_org(app, &alice, "no-such-org"), 404, "not-found");
    let missing_id = uuid::Uuid::now_v7().to_string();
    assert_problem(&get_org(app, &alice, &missing_id), 404, "not-found");
}

fn list_shows_the_callers_organizations_oldest_first(app: &TestApp) {
    let alice = app.sign_up("alice");
    for name in ["zeta", "alpha", "mid"] {
        app.create_org(&alice, name);
    }
    let res = app.client.get("/v1/organizations", Some(&alice.token));
    assert_eq!(res.status, 200, "{}", res.text);
    let names: Vec<_> = res.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["zeta", "alpha", "mid"],
        "default sort: created_at asc"
    );
    assert_eq!(res.body["meta"]["has_more"], false);
    assert_eq!(res.body["meta"]["next_cursor"], Value::Null);
    assert_eq!(
        res.body["meta"]["total"],
        Value::Null,
        "no total in cursor mode"
    );
    assert_eq!(res.body["links"]["self"], "/v1/organizations");
    assert_eq!(res.body["links"]["next"], Value::Null);
    assert!(res.body["data"][0].get("members").is_none());

    let expanded = app
        .client
        .get("/v1/organizations?expand=members", Some(&alice.token));
    assert_eq!(expanded.status, 200, "{}", expanded.text);
    for org in expanded.body["data"].as_array().unwrap() {
        assert_eq!(org["members"][0]["user"]["id"], alice.id.as_str());
    }
}

fn patch_leaves_absent_fields_unchanged_and_null_clears_them(app: &TestApp) {
    let alice = app.sign_up("alice");
    let created = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme", "display_name": "Acme", "description": "old",
                "website": "https://acme.test", "billing_email": "b@acme.test",
                "reference": "crm-1"}),
    );
    assert_eq!(created.status, 201);
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"description": null, "website": "https://new.acme.test"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["description"], Value::Null);
    assert_eq!(res.body["website"], "https://new.acme.test");
    assert_eq!(res.body["display_name"], "Acme");
    assert_eq!(res.body["billing_email"], "b@acme.test");
    assert_eq!(res.body["reference"], "crm-1");
    assert_eq!(res.body["created_at"], created.body["created_at"]);
    assert!(timestamp(&res.body["updated_at"]) >= timestamp(&created.body["updated_at"]));
    assert_eq!(res.header("etag"), Some(etag_of(&res.body, 2).as_str()));

    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"display_name": null, "reference": null, "billing_email": null}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body["display_name"], "acme",
        "null resets it to the name"
    );
    assert_eq!(res.body["reference"], Value::Null);
    assert_eq!(res.body["billing_email"], Value::Null);
    assert_eq!(res.body["website"], "https://new.acme.test");

    let fetched = get_org(app, &alice, "acme");
    assert_eq!(fetched.body, res.body, "the patch was stored");
}

fn patch_merges_custom_address_and_limits_key_by_key(app: &TestApp) {
    let alice = app.sign_up("alice");
    let created = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "acme",
                "custom": {"plan": "gold", "seats": 5, "nested": {"a": 1, "b": 2}},
                "address": {"city": "Bern", "country": "CH"},
                "limits": {"max_members": 10, "max_api_keys": 3}}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"custom": {"plan": null, "seats": 10, "nested": {"b": null, "c": 3}},
                "address": {"line1": "Main 1"},
                "limits": {"max_api_keys": null}}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body["custom"],
        json!({"seats": 10, "nested": {"a": 1, "c": 3}})
    );
    assert_eq!(res.body["address"]["line1"], "Main 1");
    assert_eq!(res.body["address"]["city"], "Bern");
    assert_eq!(res.body["address"]["country"], "CH");
    assert_eq!(
        res.body["limits"],
        json!({"max_members": 10, "max_api_keys": null})
    );

    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"custom": null, "address": null}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["custom"], json!({}));
    assert!(res.body["address"]
        .as_object()
        .unwrap()
        .values()
        .all(Value::is_null));
    assert_eq!(res.body["limits"]["max_members"], 10);
    assert_eq!(get_org(app, &alice, "acme").body, res.body);
}

fn delete_closes_the_organization(app: &TestApp) {
    let alice = app.sign_up("alice");
    let org = app.create_org(&alice, "acme");
    let res = app
        .client
        .delete("/v1/organizations/acme", Some(&alice.token));
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["id"], org["id"]);
    assert_eq!(res.body["state"], "closed");
    let closed_at = timestamp(&res.body["closed_at"]);
    assert!(closed_at >= timestamp(&org["created_at"]));
    assert_eq!(res.header("etag"), Some(etag_of(&org, 2).as_str()));

    let fetched = get_org(app, &alice, "acme");
    assert_eq!(fetched.status, 200, "a closed organization can be read");
    assert_eq!(fetched.body, res.body);
}

fn forced_delete_removes_it_and_frees_its_name(app: &TestApp) {
    let alice = app.sign_up("alice");
    let org = app.create_org(&alice, "acme-old");
    let id = org["id"].as_str().unwrap();
    let renamed = app.client.patch(
        "/v1/organizations/acme-old",
        Some(&alice.token),
        &json!({"name": "acme"}),
    );
    assert_eq!(renamed.status, 200);
    let res = app.client.delete(
        "/v1/organizations/acme?force=true&confirm=acme",
        Some(&alice.token),
    );
    assert_eq!(res.status, 204, "{}", res.text);
    assert!(res.text.is_empty());
    assert_problem(&get_org(app, &alice, id), 404, "not-found");
    assert_problem(&get_org(app, &alice, "acme"), 404, "not-found");
    assert_problem(&get_org(app, &alice, "acme-old"), 404, "not-found");
    assert!(listed_names(app, &alice, "state=active,inactive,closed").is_empty());
    let again = app.client.delete(
        "/v1/organizations/acme?force=true&confirm=acme",
        Some(&alice.token),
    );
    assert_problem(&again, 404, "not-found");
    let reborn = app.create_org(&alice, "acme");
    assert_ne!(reborn["id"], org["id"]);
    let reborn_old = app.create_org(&alice, "acme-old");
    assert_eq!(get_org(app, &alice, "acme-old").body, reborn_old);
}

fn forced_delete_without_the_matching_confirm_is_422_and_keeps_it(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    for query in [
        "force=true",
        "force=true&confirm=acne",
        "force=true&confirm=",
    ] {
        let res = app.client.delete(
            &format!("/v1/organizations/acme?{query}"),
            Some(&alice.token),
        );
        assert_field_error(&res, "confirm", "mismatch");
    }
    let fetched = get_org(app, &alice, "acme");
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body["state"], "active", "not even closed");
}

// ---- lifecycle ----

fn state_moves_between_active_and_inactive(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"state": "inactive"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "inactive");
    assert_eq!(res.body["closed_at"], Value::Null);
    assert_eq!(listed_names(app, &alice, ""), ["acme"], "listed by default");
    assert!(listed_names(app, &alice, "state=active").is_empty());
    assert_eq!(listed_names(app, &alice, "state=inactive"), ["acme"]);

    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"state": "active"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "active");
    assert_eq!(get_org(app, &alice, "acme").body["state"], "active");
}

fn patch_state_closed_closes_it(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&alice.token),
        &json!({"state": "closed"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "closed");
    timestamp(&res.body["closed_at"]);
    assert_eq!(get_org(app, &alice, "acme").body["state"], "closed");
}

fn a_closed_organization_refuses_every_change_but_a_forced_delete(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let closed = app
        .client
        .delete("/v1/organizations/acme", Some(&alice.token));
    assert_eq!(closed.status, 200);

    for patch in [
        json!({"description": "still here"}),
        json!({"state": "active"}),
        json!({"state": "inactive"}),
        json!({"state": "closed"}),
        json!({"name": "acme-reborn"}),
    ] {
        let res = app
            .client
            .patch("/v1/organizations/acme", Some(&alice.token), &patch);
        assert_problem(&res, 409, "conflict");
    }
    let again = app
        .client
        .delete("/v1/organizations/acme", Some(&alice.token));
    assert_problem(&again, 409, "conflict");

    let fetched = get_org(app, &alice, "acme");
    assert_eq!(fetched.body, closed.body, "nothing changed");
    assert_eq!(fetched.header("etag"), closed.header("etag"));

    let gone = app.client.delete(
        "/v1/organizations/acme?force=true&confirm=acme",
        Some(&alice.token),
    );
    assert_eq!(gone.status, 204, "{}", gone.text);
    assert_problem(&get_org(app, &alice, "acme"), 404, "not-found");
}

fn closed_organizations_are_listed_only_when_asked_for(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "open");
    app.create_org(&alice, "shut");
    let res = app
        .client
        .delete("/v1/organizations/shut", Some(&alice.token));
    assert_eq!(res.status, 200);
    assert_eq!(listed_names(app, &alice, ""), ["open"]);
    assert_eq!(listed_names(app, &alice, "state=closed"), ["shut"]);
    assert_eq!(
        listed_names(app, &alice, "state=active,closed&sort=name"),
        ["open", "shut"]
    );
}

fn patch_with_a_stale_if_match_is_412_and_changes_nothing(app: &TestApp) {
    let alice = app.sign_up("alice");
    app.create_org(&alice, "acme");
    let first = get_org(app, &alice, "acme");
    let stale = first.header("etag").unwrap().to_owned();

    let res = send_with(
        app,
        "PATCH",
        "/v1/organizations/acme",
        Some(&alice.token),
        &[("If-Match", &stale)],
        Some(&json!({"description": "first"})),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let current = res.header("etag").unwrap().to_owned();
    assert_ne!(current, stale);

    let res = send_with(
        app,
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

    let res = send_with(
        app,
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
    let res = send_with(
        app,
        "PATCH",
        "/v1/organizations/acme",
        Some(&alice.token),
        &[("If-Match", &weak)],
        Some(&patch),
    );
    assert_problem(&res, 412, "precondition-failed");
    let list = format!("{stale}, {newest}");
    let res = send_with(
        app,
        "PATCH",
        "/v1/organizations/acme",
        Some(&alice.token),
        &[("If-Match", &list)],
        Some(&patch),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let res = send_with(
        app,
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
        let res = send_with(
            app,
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

    let res = send_with(
        app,
        "DELETE",
        "/v1/organizations/acme",
        Some(&alice.token),
        &[("If-Match", &current)],
        None,
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "closed");
}

fn a_renamed_organization_redirects_from_every_former_name(app: &TestApp) {
    let alice = app.sign_up("alice");
    let org = app.create_org(&alice, "first-name");
    let res = app.client.patch(
        "/v1/organizations/first-name",
        Some(&alice.token),
        &json!({"name": "second-name"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["name"], "second-name");
    assert_eq!(res.body["id"], org["id"]);

    let moved = get_org(app, &alice, "first-name");
    assert_eq!(moved.status, 308, "{}", moved.text);
    assert_eq!(
        moved.header("location"),
        Some("/v1/organizations/second-name")
    );
    assert_eq!(get_org(app, &alice, "second-name").status, 200);

    let res = app.client.patch(
        &format!("/v1/organizations/{}", org["id"].as_str().unwrap()),
        Some(&alice.token),
        &json!({"name": "third-name"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    for former in ["first-name", "second-name"] {
        let moved = get_org(app, &alice, &format!("{former}?expand=members"));
        assert_eq!(moved.status, 308, "{former}: {}", moved.text);
        assert_eq!(
            moved.header("location"),
            Some("/v1/organizations/third-name?expand=members"),
            "the query string is kept"
        );
    }
    let current = get_org(app, &alice, "third-name");
    assert_eq!(current.status, 200);
    assert_eq!(current.body["id"], org["id"]);
    assert_eq!(listed_names(app, &alice, ""), ["third-name"]);

    // Back to a former name: it is current again, and the name it leaves redirects.
    let res = app.client.patch(
        "/v1/organizations/third-name",
        Some(&alice.token),
        &json!({"name": "first-name"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(get_org(app, &alice, "first-name").body["id"], org["id"]);
    assert_eq!(
        get_org(app, &alice, "third-name").header("location"),
        Some("/v1/organizations/first-name")
    );
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
    create_answers_201_with_location_etag_and_the_caller_as_owner,
    create_stores_every_profile_field,
    create_with_members_builds_every_membership,
    create_with_an_unknown_member_is_422_and_creates_nothing,
    get_by_id_and_by_name_return_the_same_organization,
    list_shows_the_callers_organizations_oldest_first,
    patch_leaves_absent_fields_unchanged_and_null_clears_them,
    patch_merges_custom_address_and_limits_key_by_key,
    delete_closes_the_organization,
    forced_delete_removes_it_and_frees_its_name,
    forced_delete_without_the_matching_confirm_is_422_and_keeps_it,
    state_moves_between_active_and_inactive,
    patch_state_closed_closes_it,
    a_closed_organization_refuses_every_change_but_a_forced_delete,
    closed_organizations_are_listed_only_when_asked_for,
    patch_with_a_stale_if_match_is_412_and_changes_nothing,
    delete_with_a_stale_if_match_is_412_and_keeps_it_open,
    a_renamed_organization_redirects_from_every_former_name,
    concurrent_patches_either_apply_or_conflict_never_lose_a_write,
);
