//! Reading the audit log: who may, filters by type, and pages that continue where they ended.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, with_admin, TestApp};
use serde_json::json;

use crate::support::events::{all_events, organization_events, types};

/// `events:read` is the owner's and admins'; members get 403, outsiders 404.
fn an_organizations_log_needs_events_read(app: &TestApp) {
    let ada = app.sign_up("ada");
    let bob = app.sign_up("bob");
    let cyd = app.sign_up("cyd");
    let eve = app.sign_up("eve");
    let res = app.client.post(
        "/v1/organizations",
        Some(&ada.token),
        &json!({"name": "acme", "members": [{"user_id": bob.id, "role": "member"},
                                            {"user_id": cyd.id, "role": "admin"}]}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let path = "/v1/organizations/acme/events";
    assert_eq!(app.client.get(path, Some(&ada.token)).status, 200);
    assert_eq!(app.client.get(path, Some(&cyd.token)).status, 200);
    let member = app.client.get(path, Some(&bob.token));
    assert_problem(&member, 403, "forbidden");
    assert!(member.body["detail"]
        .as_str()
        .unwrap()
        .contains("events:read"));
    assert_problem(&app.client.get(path, Some(&eve.token)), 404, "not-found");
    assert_eq!(app.client.get(path, None).status, 401);
}

fn the_log_filters_by_type_exactly_or_by_prefix(app: &TestApp) {
    let ada = app.sign_up("ada");
    app.create_org(&ada, "acme");
    let res = app.client.patch(
        "/v1/organizations/acme",
        Some(&ada.token),
        &json!({"name": "acme-inc"}),
    );
    assert_eq!(res.status, 200);
    let path = "/v1/organizations/acme-inc/events";
    let exact = all_events(app, &ada, &format!("{path}?type=organization.renamed"));
    assert_eq!(types(&exact), ["organization.renamed"]);
    let prefix = all_events(app, &ada, &format!("{path}?type=organization.*"));
    assert_eq!(
        types(&prefix),
        [
            "organization.created",
            "organization.updated",
            "organization.renamed"
        ]
    );
    let none = all_events(app, &ada, &format!("{path}?type=membership.deleted"));
    assert!(none.is_empty());
    for bad in [
        "organization.%25",
        "*",
        "membership*",
        "Organization.Created",
    ] {
        let res = app
            .client
            .get(&format!("{path}?type={bad}"), Some(&ada.token));
        assert_problem(&res, 400, "bad-request");
    }
}

fn the_log_pages_by_cursor_and_each_event_appears_once(app: &TestApp) {
    let ada = app.sign_up("ada");
    app.create_org(&ada, "acme");
    for i in 0..5 {
        let res = app.client.patch(
            "/v1/organizations/acme",
            Some(&ada.token),
            &json!({"description": format!("version {i}")}),
        );
        assert_eq!(res.status, 200);
    }
    let everything = organization_events(app, &ada, "acme");
    assert_eq!(everything.len(), 7);
    let paged = all_events(app, &ada, "/v1/organizations/acme/events?limit=2");
    assert_eq!(paged, everything);
    let first = app
        .client
        .get("/v1/organizations/acme/events?limit=2", Some(&ada.token));
    assert_eq!(first.body["meta"]["has_more"], true);
    assert!(first.body["meta"]["next_cursor"].is_string());
    for bad in ["limit=0", "limit=1001", "after=not-a-cursor"] {
        let res = app.client.get(
            &format!("/v1/organizations/acme/events?{bad}"),
            Some(&ada.token),
        );
        assert_problem(&res, 400, "bad-request");
    }
}

#[test]
fn the_whole_log_is_for_platform_admins_and_filters_by_organization() {
    with_admin(&[], |app, admin| {
        let ada = app.sign_up("ada");
        let acme = app.create_org(&ada, "acme");
        app.create_org(&ada, "globex");
        assert_problem(
            &app.client.get("/v1/events", Some(&ada.token)),
            403,
            "forbidden",
        );
        let all = all_events(app, admin, "/v1/events");
        assert!(types(&all).contains(&"user.created".to_owned()));
        let acme_only = all_events(
            app,
            admin,
            &format!(
                "/v1/events?organization_id={}",
                acme["id"].as_str().unwrap()
            ),
        );
        assert_eq!(acme_only.len(), 2);
        assert!(acme_only.iter().all(|e| e["organization_id"] == acme["id"]));
        let created = all_events(app, admin, "/v1/events?type=organization.created");
        assert_eq!(created.len(), 2);
        let paged = all_events(app, admin, "/v1/events?limit=1");
        assert_eq!(paged, all);
    });
}

backend_tests!(
    an_organizations_log_needs_events_read,
    the_log_filters_by_type_exactly_or_by_prefix,
    the_log_pages_by_cursor_and_each_event_appears_once,
);
