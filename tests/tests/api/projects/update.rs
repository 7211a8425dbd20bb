//! A project by id or name, changed under `If-Match`, deleted (204), frozen with its closed
//! organization, and the events each change writes.
use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::{json, Value};

use super::setup::{create_project, id_of, listed, names, project_path, projects_path};
use crate::support::access::staffed_org;
use crate::support::events::{organization_events, types};
use crate::support::organizations::timestamp;

fn a_project_is_addressed_by_id_or_name(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let org = app.client.get("/v1/organizations/acme", Some(&owner.token));
    let org_id = id_of(&org.body);
    let made = create_project(app, &owner.token, "acme", json!({"name": "website"}));
    let id = id_of(&made);
    for org in ["acme", org_id.as_str()] {
        for key in ["website", id.as_str()] {
            let res = app.client.get(&project_path(org, key), Some(&owner.token));
            assert_eq!(res.status, 200, "{org}/{key}: {}", res.text);
            assert_eq!(res.body["id"], made["id"]);
        }
    }
    let by_id = app.client.patch(
        &project_path("acme", &id),
        Some(&owner.token),
        &json!({"display_name": "Site"}),
    );
    assert_eq!(by_id.status, 200, "{}", by_id.text);
    assert_eq!(
        app.client
            .get(&project_path("acme", "website"), Some(&owner.token))
            .body["display_name"],
        "Site"
    );
    for missing in ["nothing-here".to_owned(), uuid::Uuid::now_v7().to_string()] {
        let path = project_path("acme", &missing);
        assert_problem(&app.client.get(&path, Some(&owner.token)), 404, "not-found");
        assert_problem(
            &app.client
                .patch(&path, Some(&owner.token), &json!({"description": "x"})),
            404,
            "not-found",
        );
        assert_problem(
            &app.client.delete(&path, Some(&owner.token)),
            404,
            "not-found",
        );
    }
    let by_name = app
        .client
        .delete(&project_path("acme", "website"), Some(&owner.token));
    assert_eq!(by_name.status, 204, "{}", by_name.text);
    assert_problem(
        &app.client
            .get(&project_path("acme", &id), Some(&owner.token)),
        404,
        "not-found",
    );
}

fn patch_changes_what_it_names_and_honours_if_match(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let made = create_project(
        app,
        &owner.token,
        "acme",
        json!({"name": "website", "description": "old", "custom": {"a": 1}}),
    );
    let read = app
        .client
        .get(&project_path("acme", "website"), Some(&owner.token));
    let first_etag = read.header("etag").expect("an ETag").to_owned();

    let changed = app.client.send_with(
        "PATCH",
        &project_path("acme", "website"),
        Some(&owner.token),
        &[("If-Match", &first_etag)],
        Some(&json!({"display_name": "Web site", "description": null,
                     "visibility": "organization", "custom": {"b": 2}})),
    );
    assert_eq!(changed.status, 200, "{}", changed.text);
    let body = &changed.body;
    assert_eq!(body["id"], made["id"]);
    assert_eq!(body["name"], "website", "an absent field is unchanged");
    assert_eq!(body["display_name"], "Web site");
    assert_eq!(body["description"], Value::Null, "null clears");
    assert_eq!(body["visibility"], "organization");
    assert_eq!(
        body["custom"],
        json!({"a": 1, "b": 2}),
        "custom merges key by key"
    );
    assert_eq!(body["access"], "owner");
    assert_eq!(body["created_at"], made["created_at"]);
    assert!(timestamp(&body["updated_at"]) >= timestamp(&made["updated_at"]));

    let now = app
        .client
        .get(&project_path("acme", "website"), Some(&owner.token));
    let second_etag = now.header("etag").expect("an ETag").to_owned();
    assert_ne!(second_etag, first_etag, "a change makes a new ETag");

    // The ETag read before the change no longer matches: 412, and nothing changes.
    let stale = app.client.send_with(
        "PATCH",
        &project_path("acme", "website"),
        Some(&owner.token),
        &[("If-Match", &first_etag)],
        Some(&json!({"display_name": "Lost update"})),
    );
    assert_problem(&stale, 412, "precondition-failed");
    let stale_delete = app.client.send_with(
        "DELETE",
        &project_path("acme", "website"),
        Some(&owner.token),
        &[("If-Match", &first_etag)],
        None,
    );
    assert_problem(&stale_delete, 412, "precondition-failed");
    let unchanged = app
        .client
        .get(&project_path("acme", "website"), Some(&owner.token));
    assert_eq!(unchanged.body, now.body);

    let renamed = app.client.send_with(
        "PATCH",
        &project_path("acme", "website"),
        Some(&owner.token),
        &[("If-Match", &second_etag)],
        Some(&json!({"name": "site"})),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.body["name"], "site");
    let site = app
        .client
        .get(&project_path("acme", "site"), Some(&owner.token));
    assert_eq!(
        renamed.header("etag"),
        site.header("etag"),
        "a PATCH answers with the new ETag"
    );
    // The old name addresses nothing now.
    assert_problem(
        &app.client
            .get(&project_path("acme", "website"), Some(&owner.token)),
        404,
        "not-found",
    );
    let reset = app.client.patch(
        &project_path("acme", "site"),
        Some(&owner.token),
        &json!({"display_name": null}),
    );
    assert_eq!(reset.status, 200, "{}", reset.text);
    assert_eq!(
        reset.body["display_name"], "site",
        "null resets it to the name"
    );
    assert_eq!(
        app.client
            .get(&project_path("acme", "site"), Some(&owner.token))
            .body["id"],
        made["id"]
    );
    let bad = app.client.patch(
        &project_path("acme", "site"),
        Some(&owner.token),
        &json!({"visibility": "everyone"}),
    );
    assert_problem(&bad, 422, "validation");
    assert_eq!(bad.error_fields(), ["visibility"], "{}", bad.text);
}

fn delete_is_204_and_the_project_is_gone(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let made = create_project(app, &owner.token, "acme", json!({"name": "website"}));
    create_project(app, &owner.token, "acme", json!({"name": "blog"}));
    let etag = app
        .client
        .get(&project_path("acme", "website"), Some(&owner.token))
        .header("etag")
        .unwrap()
        .to_owned();
    let deleted = app.client.send_with(
        "DELETE",
        &project_path("acme", "website"),
        Some(&owner.token),
        &[("If-Match", &etag)],
        None,
    );
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert!(deleted.text.is_empty());
    assert_problem(
        &app.client
            .get(&project_path("acme", "website"), Some(&owner.token)),
        404,
        "not-found",
    );
    assert_problem(
        &app.client
            .delete(&project_path("acme", &id_of(&made)), Some(&owner.token)),
        404,
        "not-found",
    );
    assert_eq!(names(&listed(app, &owner.token, "acme", "")), ["blog"]);
    // Its name is free again, for a new project with a new id.
    let again = create_project(app, &owner.token, "acme", json!({"name": "website"}));
    assert_ne!(again["id"], made["id"]);
}

fn a_closed_organization_keeps_its_projects_unchanged(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    create_project(app, &owner.token, "acme", json!({"name": "website"}));
    let team = app.client.post(
        "/v1/organizations/acme/teams",
        Some(&owner.token),
        &json!({"name": "backend"}),
    );
    assert_eq!(team.status, 201, "{}", team.text);
    let closed = app
        .client
        .delete("/v1/organizations/acme", Some(&owner.token));
    assert_eq!(closed.status, 200, "{}", closed.text);
    let before = app
        .client
        .get(&project_path("acme", "website"), Some(&owner.token));
    assert_eq!(
        before.status, 200,
        "a closed organization's projects can be read"
    );
    let refused = [
        app.client.post(
            &projects_path("acme"),
            Some(&owner.token),
            &json!({"name": "blog"}),
        ),
        app.client.patch(
            &project_path("acme", "website"),
            Some(&owner.token),
            &json!({"description": "x"}),
        ),
        app.client.send_with(
            "PUT",
            &format!("{}/teams/backend", project_path("acme", "website")),
            Some(&owner.token),
            &[],
            Some(&json!({"access": "reader"})),
        ),
        app.client
            .delete(&project_path("acme", "website"), Some(&owner.token)),
    ];
    for res in &refused {
        assert_problem(res, 409, "conflict");
    }
    let after = app
        .client
        .get(&project_path("acme", "website"), Some(&owner.token));
    assert_eq!(after.body, before.body);
    assert_eq!(names(&listed(app, &owner.token, "acme", "")), ["website"]);
}

fn each_change_of_a_project_is_an_event(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin"]);
    let admin = &staff[0];
    let before = organization_events(app, &owner, "acme").len();
    let made = create_project(app, &admin.token, "acme", json!({"name": "website"}));
    let patched = app.client.patch(
        &project_path("acme", "website"),
        Some(&owner.token),
        &json!({"display_name": "Web site"}),
    );
    assert_eq!(patched.status, 200, "{}", patched.text);
    // Refusals write nothing.
    app.client.post(
        &projects_path("acme"),
        Some(&owner.token),
        &json!({"name": "website"}),
    );
    app.client.patch(
        &project_path("acme", "website"),
        Some(&owner.token),
        &json!({"name": "Bad Name"}),
    );
    let deleted = app
        .client
        .delete(&project_path("acme", "website"), Some(&owner.token));
    assert_eq!(deleted.status, 204);

    let events = organization_events(app, &owner, "acme");
    let new = &events[before..];
    assert_eq!(
        types(new),
        ["project.created", "project.updated", "project.deleted"]
    );
    let target = json!({"type": "project", "id": made["id"]});
    for event in new {
        assert_eq!(event["target"], target, "{event}");
        assert_eq!(event["organization_id"], made["organization_id"]);
    }
    assert_eq!(new[0]["actor"]["id"], admin.id.as_str());
    assert_eq!(new[1]["actor"]["id"], owner.id.as_str());
    assert_eq!(new[0]["data"]["name"], "website");
    assert_eq!(
        new[1]["data"]["changes"]["display_name"],
        json!({"from": "website", "to": "Web site"}),
        "{}",
        new[1]
    );
    assert_eq!(new[2]["data"]["name"], "website");
}

backend_tests!(
    a_project_is_addressed_by_id_or_name,
    patch_changes_what_it_names_and_honours_if_match,
    delete_is_204_and_the_project_is_gone,
    a_closed_organization_keeps_its_projects_unchanged,
    each_change_of_a_project_is_an_event,
);
