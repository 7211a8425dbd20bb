//! Creating projects: 201 private with the creator as owner, the name rules (422), a taken
//! name (409), and `Idempotency-Key`.
use roster_tests::problem::{assert_field_error, assert_only_field_error, assert_problem};
use roster_tests::{backend_tests, TestApp, TestUser};
use serde_json::{json, Value};

use super::setup::{create_project, listed, names, project_path, projects_path};
use crate::support::access::staffed_org;
use crate::support::organizations::timestamp;

fn a_new_project_is_201_private_and_its_creator_is_owner(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin", "member", "viewer"]);
    let (admin, member, viewer) = (&staff[0], &staff[1], &staff[2]);
    let org = app.client.get("/v1/organizations/acme", Some(&owner.token));
    let res = app.client.post(
        &projects_path("acme"),
        Some(&owner.token),
        &json!({"name": "website", "display_name": "Web site", "description": "The public site",
                "custom": {"tier": 1}}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let project = &res.body;
    assert!(uuid::Uuid::parse_str(project["id"].as_str().unwrap()).is_ok());
    assert_eq!(project["organization_id"], org.body["id"]);
    assert_eq!(project["name"], "website");
    assert_eq!(project["display_name"], "Web site");
    assert_eq!(project["description"], "The public site");
    assert_eq!(project["visibility"], "private", "private unless asked");
    assert_eq!(project["custom"], json!({"tier": 1}));
    assert_eq!(project["access"], "owner");
    assert_eq!(
        timestamp(&project["created_at"]),
        timestamp(&project["updated_at"])
    );

    // display_name defaults to the name; an admin holds projects:write too.
    let by_admin = create_project(
        app,
        &admin.token,
        "acme",
        json!({"name": "gateway", "visibility": "organization"}),
    );
    assert_eq!(by_admin["display_name"], "gateway");
    assert_eq!(by_admin["visibility"], "organization");
    assert_eq!(by_admin["access"], "owner");
    assert_eq!(by_admin["description"], Value::Null);

    // Reading it back gives the same project, with an ETag.
    let read = app
        .client
        .get(&project_path("acme", "website"), Some(&owner.token));
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.body, res.body);
    assert!(
        read.header("etag").is_some(),
        "a single project has an ETag"
    );

    // Members and viewers lack projects:write; a stranger learns nothing.
    for user in [member, viewer] {
        assert_problem(
            &app.client.post(
                &projects_path("acme"),
                Some(&user.token),
                &json!({"name": "mine"}),
            ),
            403,
            "forbidden",
        );
    }
    let stranger = app.sign_up("stranger");
    assert_problem(
        &app.client.post(
            &projects_path("acme"),
            Some(&stranger.token),
            &json!({"name": "mine"}),
        ),
        404,
        "not-found",
    );
    assert_eq!(
        names(&listed(app, &owner.token, "acme", "sort=name")),
        ["gateway", "website"],
        "refused creations wrote nothing"
    );
}

/// Creating `body` in acme fails on `field` with `code`, and acme's projects are unchanged.
fn assert_create_rejected(app: &TestApp, owner: &TestUser, body: Value, field: &str, code: &str) {
    let before = listed(app, &owner.token, "acme", "sort=name");
    let res = app
        .client
        .post(&projects_path("acme"), Some(&owner.token), &body);
    assert_field_error(&res, field, code);
    assert_eq!(
        listed(app, &owner.token, "acme", "sort=name"),
        before,
        "a rejected create wrote nothing: {body}"
    );
}

fn project_names_follow_the_organization_name_rules(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    for bad in ["Website", "web_site", "-web", "web-", "web site"] {
        assert_create_rejected(app, &owner, json!({"name": bad}), "name", "invalid_format");
    }
    let id = uuid::Uuid::now_v7();
    for uuid_shaped in [id.to_string(), id.simple().to_string()] {
        assert_create_rejected(
            app,
            &owner,
            json!({"name": uuid_shaped}),
            "name",
            "invalid_format",
        );
    }
    assert_create_rejected(
        app,
        &owner,
        json!({"name": "a".repeat(64)}),
        "name",
        "invalid_length",
    );
    assert_create_rejected(app, &owner, json!({"name": ""}), "name", "invalid_length");
    for reserved in ["admin", "new", "me"] {
        assert_create_rejected(app, &owner, json!({"name": reserved}), "name", "reserved");
    }
    assert_create_rejected(
        app,
        &owner,
        json!({"display_name": "Web"}),
        "name",
        "required",
    );
    let res = app.client.post(
        &projects_path("acme"),
        Some(&owner.token),
        &json!({"name": "web", "visibility": "public"}),
    );
    assert_problem(&res, 422, "validation");
    assert_eq!(res.error_fields(), ["visibility"], "{}", res.text);
    let res = app.client.post(
        &projects_path("acme"),
        Some(&owner.token),
        &json!({"name": "web", "custom": [1, 2]}),
    );
    assert_problem(&res, 422, "validation");
    assert_eq!(res.error_fields(), ["custom"], "{}", res.text);
    assert!(listed(app, &owner.token, "acme", "").is_empty());

    let longest = "a".repeat(63);
    create_project(app, &owner.token, "acme", json!({"name": longest}));
    // The same rules hold for a rename, which then writes nothing.
    let before = app
        .client
        .get(&project_path("acme", &longest), Some(&owner.token));
    for (body, code) in [
        (json!({"name": "Web"}), "invalid_format"),
        (json!({"name": "me"}), "reserved"),
    ] {
        let res = app
            .client
            .patch(&project_path("acme", &longest), Some(&owner.token), &body);
        assert_field_error(&res, "name", code);
    }
    let null_name = app.client.patch(
        &project_path("acme", &longest),
        Some(&owner.token),
        &json!({"name": null}),
    );
    assert_only_field_error(&null_name, "name");
    let after = app
        .client
        .get(&project_path("acme", &longest), Some(&owner.token));
    assert_eq!(after.body, before.body);
}

fn a_taken_project_name_is_409(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let first = create_project(app, &owner.token, "acme", json!({"name": "website"}));
    let again = app.client.post(
        &projects_path("acme"),
        Some(&owner.token),
        &json!({"name": "website", "display_name": "Another"}),
    );
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(
        again.header("content-type"),
        Some("application/problem+json")
    );
    create_project(app, &owner.token, "acme", json!({"name": "blog"}));
    let rename = app.client.patch(
        &project_path("acme", "blog"),
        Some(&owner.token),
        &json!({"name": "website"}),
    );
    assert_eq!(rename.status, 409, "{}", rename.text);
    assert_eq!(
        names(&listed(app, &owner.token, "acme", "sort=name")),
        ["blog", "website"]
    );
    let kept = app
        .client
        .get(&project_path("acme", "website"), Some(&owner.token));
    assert_eq!(kept.body["id"], first["id"]);
    assert_eq!(kept.body["display_name"], "website");
}

fn creating_a_project_honours_an_idempotency_key(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let send = |body: &Value| {
        app.client.send_with(
            "POST",
            &projects_path("acme"),
            Some(&owner.token),
            &[("Idempotency-Key", "make-website")],
            Some(body),
        )
    };
    let body = json!({"name": "website"});
    let first = send(&body);
    assert_eq!(first.status, 201, "{}", first.text);
    let again = send(&body);
    assert_eq!(again.status, 201, "a replay: {}", again.text);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("etag"), first.header("etag"));
    let other = send(&json!({"name": "other"}));
    assert_problem(&other, 422, "validation");
    assert_eq!(other.error_fields(), ["Idempotency-Key"]);
    assert_eq!(names(&listed(app, &owner.token, "acme", "")), ["website"]);
}

backend_tests!(
    a_new_project_is_201_private_and_its_creator_is_owner,
    project_names_follow_the_organization_name_rules,
    a_taken_project_name_is_409,
    creating_a_project_honours_an_idempotency_key,
);
