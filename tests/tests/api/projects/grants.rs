//! Granting teams access to a project: PUT makes (201) or changes (200) a grant, both lists show
//! it, DELETE removes it (204, then 404), and each change is an event. A project or team that
//! goes takes its grants with it.

use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use super::setup::{
    access_to, create_team, entries, grant, grant_path, id_of, join_team, project, project_path,
    put_grant,
};
use crate::support::access::staffed_org;
use crate::support::events::{organization_events, types};

/// `GET …/projects/{project}/teams` as the owner: each grant's team name and access.
fn grants_on(app: &TestApp, token: &str, project: &str) -> Vec<(String, String)> {
    let res = app.client.get(
        &format!("{}/teams", project_path("acme", project)),
        Some(token),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let mut grants: Vec<(String, String)> = entries(&res.body)
        .iter()
        .map(|g| {
            (
                g["team"]["name"].as_str().unwrap().to_owned(),
                g["access"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    grants.sort();
    grants
}

/// `GET …/teams/{team}/projects` as `token`: each grant's project name and access.
fn grants_of(app: &TestApp, token: &str, team: &str) -> Vec<(String, String)> {
    let res = app.client.get(
        &format!("/v1/organizations/acme/teams/{team}/projects"),
        Some(token),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let mut grants: Vec<(String, String)> = entries(&res.body)
        .iter()
        .map(|g| {
            (
                g["project"]["name"].as_str().unwrap().to_owned(),
                g["access"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    grants.sort();
    grants
}

fn pair(name: &str, access: &str) -> (String, String) {
    (name.to_owned(), access.to_owned())
}

fn a_grant_is_201_when_new_and_200_when_changed(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let team = create_team(app, &owner, "acme", "backend");
    let gateway = project(app, &owner, "acme", "gateway", "private");
    project(app, &owner, "acme", "website", "private");

    let made = put_grant(app, &owner.token, "acme", "gateway", "backend", "reader");
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.body["team"]["id"], team["id"]);
    assert_eq!(made.body["team"]["name"], "backend");
    assert_eq!(made.body["access"], "reader");

    // By ids this time: the same grant, changed.
    let changed = put_grant(
        app,
        &owner.token,
        "acme",
        &id_of(&gateway),
        &id_of(&team),
        "writer",
    );
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["access"], "writer");
    let same = put_grant(app, &owner.token, "acme", "gateway", "backend", "writer");
    assert_eq!(same.status, 200, "{}", same.text);
    assert_eq!(same.body["access"], "writer");
    grant(app, &owner, "acme", "website", "backend", "owner");

    assert_eq!(
        grants_on(app, &owner.token, "gateway"),
        [pair("backend", "writer")]
    );
    assert_eq!(
        grants_of(app, &owner.token, "backend"),
        [pair("gateway", "writer"), pair("website", "owner")]
    );
    let listed = app.client.get(
        "/v1/organizations/acme/teams/backend/projects",
        Some(&owner.token),
    );
    let gateway_grant = entries(&listed.body)
        .iter()
        .find(|g| g["project"]["name"] == "gateway")
        .unwrap();
    assert_eq!(gateway_grant["project"]["id"], gateway["id"]);

    // A team or project that does not exist is 404, and nothing is granted.
    assert_problem(
        &put_grant(app, &owner.token, "acme", "gateway", "nobody", "reader"),
        404,
        "not-found",
    );
    assert_problem(
        &put_grant(
            app,
            &owner.token,
            "acme",
            "gateway",
            &uuid::Uuid::now_v7().to_string(),
            "reader",
        ),
        404,
        "not-found",
    );
    assert_problem(
        &put_grant(app, &owner.token, "acme", "nothing", "backend", "reader"),
        404,
        "not-found",
    );
    assert_eq!(
        grants_on(app, &owner.token, "gateway"),
        [pair("backend", "writer")]
    );
}

fn revoking_a_grant_is_204_then_404(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member"]);
    let member = &staff[0];
    create_team(app, &owner, "acme", "backend");
    create_team(app, &owner, "acme", "frontend");
    join_team(app, &owner, "acme", "backend", member);
    project(app, &owner, "acme", "gateway", "private");
    grant(app, &owner, "acme", "gateway", "backend", "writer");
    grant(app, &owner, "acme", "gateway", "frontend", "reader");
    assert_eq!(
        access_to(app, &member.token, "acme", "gateway").as_deref(),
        Some("writer")
    );

    let revoked = app.client.delete(
        &grant_path("acme", "gateway", "backend"),
        Some(&owner.token),
    );
    assert_eq!(revoked.status, 204, "{}", revoked.text);
    assert!(revoked.text.is_empty());
    assert_problem(
        &app.client.delete(
            &grant_path("acme", "gateway", "backend"),
            Some(&owner.token),
        ),
        404,
        "not-found",
    );
    assert_eq!(
        grants_on(app, &owner.token, "gateway"),
        [pair("frontend", "reader")]
    );
    assert!(grants_of(app, &owner.token, "backend").is_empty());
    assert_eq!(access_to(app, &member.token, "acme", "gateway"), None);
    // A team that never had a grant on it: 404 too.
    create_team(app, &owner, "acme", "ops");
    assert_problem(
        &app.client
            .delete(&grant_path("acme", "gateway", "ops"), Some(&owner.token)),
        404,
        "not-found",
    );
}

fn an_access_outside_the_three_levels_is_422(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    create_team(app, &owner, "acme", "backend");
    project(app, &owner, "acme", "gateway", "private");
    for access in ["admin", "Reader", "", "none"] {
        let res = put_grant(app, &owner.token, "acme", "gateway", "backend", access);
        assert_problem(&res, 422, "validation");
        assert_eq!(res.error_fields(), ["access"], "{access}: {}", res.text);
    }
    for body in [json!({}), json!({"access": null}), json!({"access": 2})] {
        let res = app.client.send_with(
            "PUT",
            &grant_path("acme", "gateway", "backend"),
            Some(&owner.token),
            &[],
            Some(&body),
        );
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.error_fields(), ["access"], "{body}: {}", res.text);
    }
    let missing = app.client.send_with(
        "PUT",
        &grant_path("acme", "gateway", "backend"),
        Some(&owner.token),
        &[],
        Some(&json!({})),
    );
    assert_field_error(&missing, "access", "required");
    assert!(grants_on(app, &owner.token, "gateway").is_empty());
}

fn each_change_of_a_grant_is_an_event(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let team = create_team(app, &owner, "acme", "backend");
    let gateway = project(app, &owner, "acme", "gateway", "private");
    let before = organization_events(app, &owner, "acme").len();
    grant(app, &owner, "acme", "gateway", "backend", "reader");
    grant(app, &owner, "acme", "gateway", "backend", "owner");
    // Unchanged, refused or missing: no event.
    grant(app, &owner, "acme", "gateway", "backend", "owner");
    put_grant(app, &owner.token, "acme", "gateway", "backend", "admin");
    app.client
        .delete(&grant_path("acme", "gateway", "nobody"), Some(&owner.token));
    let revoked = app.client.delete(
        &grant_path("acme", "gateway", "backend"),
        Some(&owner.token),
    );
    assert_eq!(revoked.status, 204);

    let events = organization_events(app, &owner, "acme");
    let new = &events[before..];
    assert_eq!(
        types(new),
        [
            "project_access.granted",
            "project_access.updated",
            "project_access.revoked"
        ]
    );
    for event in new {
        assert_eq!(event["actor"]["id"], owner.id.as_str());
        let text = event["data"].to_string();
        for id in [&gateway["id"], &team["id"]] {
            assert!(
                text.contains(id.as_str().unwrap()),
                "the event names the project and the team: {event}"
            );
        }
    }
    assert_eq!(new[0]["data"]["access"], "reader", "{}", new[0]);
    assert_eq!(
        new[1]["data"]["access"],
        json!({"from": "reader", "to": "owner"}),
        "{}",
        new[1]
    );
    assert_eq!(new[2]["data"]["access"], "owner", "{}", new[2]);
    assert_eq!(new[2]["data"]["reason"], "revoked", "{}", new[2]);
}

fn deleting_a_project_or_a_team_removes_its_grants(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member"]);
    let member = &staff[0];
    create_team(app, &owner, "acme", "backend");
    create_team(app, &owner, "acme", "frontend");
    join_team(app, &owner, "acme", "backend", member);
    let old = project(app, &owner, "acme", "gateway", "private");
    project(app, &owner, "acme", "website", "private");
    grant(app, &owner, "acme", "gateway", "backend", "writer");
    grant(app, &owner, "acme", "website", "backend", "reader");
    grant(app, &owner, "acme", "website", "frontend", "writer");

    let deleted = app
        .client
        .delete(&project_path("acme", "gateway"), Some(&owner.token));
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(
        grants_of(app, &owner.token, "backend"),
        [pair("website", "reader")]
    );
    // A new project of the same name starts with no grants.
    let new = project(app, &owner, "acme", "gateway", "private");
    assert_ne!(new["id"], old["id"]);
    assert!(grants_on(app, &owner.token, "gateway").is_empty());
    assert_eq!(access_to(app, &member.token, "acme", "gateway"), None);

    let gone = app
        .client
        .delete("/v1/organizations/acme/teams/backend", Some(&owner.token));
    assert_eq!(gone.status, 204, "{}", gone.text);
    assert_eq!(
        grants_on(app, &owner.token, "website"),
        [pair("frontend", "writer")]
    );
    assert_eq!(access_to(app, &member.token, "acme", "website"), None);
    create_team(app, &owner, "acme", "backend");
    assert!(grants_of(app, &owner.token, "backend").is_empty());

    // Each grant that went with its project or team has its revocation in the log.
    let revoked: Vec<(String, String, String)> = organization_events(app, &owner, "acme")
        .iter()
        .filter(|e| e["type"] == "project_access.revoked")
        .map(|e| {
            let data = &e["data"];
            (
                data["project"]["name"].as_str().unwrap().to_owned(),
                data["team"]["name"].as_str().unwrap().to_owned(),
                data["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("gateway", "backend", "project_deleted"),
        ("website", "backend", "team_deleted"),
    ]
    .map(|(p, t, r)| (p.to_owned(), t.to_owned(), r.to_owned()));
    assert_eq!(revoked, expected);
}

backend_tests!(
    a_grant_is_201_when_new_and_200_when_changed,
    revoking_a_grant_is_204_then_404,
    an_access_outside_the_three_levels_is_422,
    each_change_of_a_grant_is_an_event,
    deleting_a_project_or_a_team_removes_its_grants,
);
