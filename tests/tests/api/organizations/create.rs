//! Creating an organization: the answer and its headers, every profile field as stored,
//! members named at creation, and nothing at all when one of them is unknown.

use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, TestApp};
use serde_json::{json, Value};

use crate::support::organizations::{etag_of, get_org, listed_names, timestamp};

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
        json!({"max_members": null, "max_api_keys": null, "max_invitations": null, "max_teams": null, "max_projects": null})
    );
    assert_eq!(org["address"]["country"], Value::Null);
    assert!(
        org.get("invitations").is_none(),
        "no emails, no invitations"
    );
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
        "visibility": "public"
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
    let fetched = get_org(app, &alice, org["id"].as_str().unwrap());
    assert_eq!(&fetched.body, org, "what was stored is what was answered");
}

/// Accounts named by id join at once; emails are invited (whether or not they have an
/// account), and join by accepting.
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
    assert_eq!(
        res.body["member_count"], 2,
        "alice and carol; bob is invited"
    );
    let invitations = res.body["invitations"].as_array().unwrap();
    assert_eq!(invitations.len(), 1);
    assert_eq!(invitations[0]["email"], bob.email.as_str(), "lowercased");
    assert_eq!(invitations[0]["role"], "admin");
    assert_eq!(invitations[0]["state"], "pending");
    let token = invitations[0]["token"].as_str().unwrap();
    assert!(token.starts_with("rsi_"));
    let accepted = app.client.post(
        "/v1/invitations/accept",
        Some(&bob.token),
        &json!({"token": token}),
    );
    assert_eq!(accepted.status, 201, "{}", accepted.text);

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
    // An email is invited whether or not it has an account: the answer does not tell.
    let res = app.client.post(
        "/v1/organizations",
        Some(&alice.token),
        &json!({"name": "invites", "members": [
            {"email": "nobody@example.test", "role": "member"},
            {"email": bob.email, "role": "member"}
        ]}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let states: Vec<&Value> = res.body["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["state"])
        .collect();
    assert_eq!(states, [&json!("pending"), &json!("pending")]);

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

    assert_eq!(listed_names(app, &alice, ""), ["invites"]);
    assert!(
        listed_names(app, &bob, "").is_empty(),
        "bob is invited only"
    );
    assert_problem(&get_org(app, &alice, "ghost-town"), 404, "not-found");
    // Nothing holds the name either.
    app.create_org(&alice, "ghost-town");
}

backend_tests!(
    create_answers_201_with_location_etag_and_the_caller_as_owner,
    create_stores_every_profile_field,
    create_with_members_builds_every_membership,
    create_with_an_unknown_member_is_422_and_creates_nothing,
);
