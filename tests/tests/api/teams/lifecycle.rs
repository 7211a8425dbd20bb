//! Teams made, read by id or by name, renamed and changed under `If-Match`, by whom, and each
//! change in the audit log.

use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, TestApp};
use serde_json::{json, Value};

use super::requests::{create_team, get_team, id_of, listed_teams, post_team, team_path};
use crate::support::access::staffed_org;
use crate::support::events::organization_events;
use crate::support::organizations::timestamp;

fn creating_a_team_answers_201_with_its_defaults(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let org = app.client.get("/v1/organizations/acme", Some(&owner.token));
    let res = post_team(app, &owner, "acme", json!({"name": "backend"}));
    assert_eq!(res.status, 201, "{}", res.text);
    let team = &res.body;
    assert!(uuid::Uuid::parse_str(team["id"].as_str().unwrap()).is_ok());
    assert_eq!(team["organization_id"], org.body["id"]);
    assert_eq!(team["name"], "backend");
    assert_eq!(team["display_name"], "backend", "defaults to the name");
    assert_eq!(team["description"], Value::Null);
    assert_eq!(team["custom"], json!({}));
    assert_eq!(team["member_count"], 0);
    assert_eq!(
        timestamp(&team["created_at"]),
        timestamp(&team["updated_at"])
    );
    assert!(res.header("etag").is_some(), "a new team has an ETag");

    let full = post_team(
        app,
        &owner,
        "acme",
        json!({"name": "platform", "display_name": "Platform team",
               "description": "Runs things", "custom": {"slack": "#platform"}}),
    );
    assert_eq!(full.status, 201, "{}", full.text);
    assert_eq!(full.body["display_name"], "Platform team");
    assert_eq!(full.body["description"], "Runs things");
    assert_eq!(full.body["custom"], json!({"slack": "#platform"}));

    // The same team by id and by name, and by the organization's id too.
    let by_name = app
        .client
        .get(&team_path("acme", "backend"), Some(&owner.token));
    assert_eq!(by_name.status, 200, "{}", by_name.text);
    assert_eq!(&by_name.body, team);
    let by_id = app
        .client
        .get(&team_path("acme", &id_of(team)), Some(&owner.token));
    assert_eq!(by_id.body, by_name.body);
    assert_eq!(by_id.header("etag"), by_name.header("etag"));
    let org_id = org.body["id"].as_str().unwrap();
    assert_eq!(get_team(app, &owner, org_id, "backend"), by_name.body);
    assert_problem(
        &app.client
            .get(&team_path("acme", "nobody"), Some(&owner.token)),
        404,
        "not-found",
    );
    assert_problem(
        &app.client.get(
            &team_path("acme", &uuid::Uuid::now_v7().to_string()),
            Some(&owner.token),
        ),
        404,
        "not-found",
    );
}

fn team_names_follow_the_organization_rules(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let rejected = |body: Value, field: &str, code: &str| {
        let res = post_team(app, &owner, "acme", body.clone());
        assert_field_error(&res, field, code);
        assert!(
            listed_teams(app, &owner, "acme", "").is_empty(),
            "a rejected create wrote nothing: {body}"
        );
    };
    rejected(json!({"name": "Backend"}), "name", "invalid_format");
    rejected(json!({"name": "back_end"}), "name", "invalid_format");
    rejected(json!({"name": "-backend"}), "name", "invalid_format");
    rejected(json!({"name": "backend-"}), "name", "invalid_format");
    rejected(json!({"name": "a".repeat(64)}), "name", "invalid_length");
    rejected(json!({"name": ""}), "name", "invalid_length");
    rejected(
        json!({"name": uuid::Uuid::now_v7().to_string()}),
        "name",
        "invalid_format",
    );
    rejected(json!({"name": "new"}), "name", "reserved");
    rejected(json!({"display_name": "No name"}), "name", "required");
    rejected(
        json!({"name": "ok", "custom": [1, 2]}),
        "custom",
        "invalid_type",
    );
    create_team(app, &owner, "acme", &"a".repeat(63));

    // A rename follows the same rules, and a rejected one changes nothing.
    let before = app
        .client
        .get(&team_path("acme", "backend"), Some(&owner.token));
    assert_eq!(before.status, 404);
    let team = create_team(app, &owner, "acme", "backend");
    let res = app.client.patch(
        &team_path("acme", "backend"),
        Some(&owner.token),
        &json!({"name": "Back End"}),
    );
    assert_field_error(&res, "name", "invalid_format");
    assert_eq!(get_team(app, &owner, "acme", "backend"), team);
}

fn a_taken_team_name_is_409_but_another_organization_may_use_it(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let first = create_team(app, &owner, "acme", "backend");
    create_team(app, &owner, "acme", "frontend");
    let again = post_team(app, &owner, "acme", json!({"name": "backend"}));
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(
        again.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(
        listed_teams(app, &owner, "acme", "sort=name"),
        ["backend", "frontend"]
    );
    let rename = app.client.patch(
        &team_path("acme", "frontend"),
        Some(&owner.token),
        &json!({"name": "backend"}),
    );
    assert_eq!(rename.status, 409, "{}", rename.text);
    assert_eq!(again.body["type"], rename.body["type"]);

    let (other, _) = staffed_org(app, "globex", &[]);
    let theirs = create_team(app, &other, "globex", "backend");
    assert_ne!(theirs["id"], first["id"]);
    // Each organization addresses its own team by that name, and never the other's by id.
    assert_eq!(get_team(app, &owner, "acme", "backend")["id"], first["id"]);
    assert_problem(
        &app.client
            .get(&team_path("acme", &id_of(&theirs)), Some(&owner.token)),
        404,
        "not-found",
    );
    assert_problem(
        &app.client
            .get(&team_path("globex", &id_of(&first)), Some(&other.token)),
        404,
        "not-found",
    );
}

fn patching_a_team_honours_if_match(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let made = app.client.post(
        "/v1/organizations/acme/teams",
        Some(&owner.token),
        &json!({"name": "backend"}),
    );
    let etag = made.header("etag").expect("an ETag").to_owned();
    let stale_later = etag.clone();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let changed = app.client.send_with(
        "PATCH",
        &team_path("acme", "backend"),
        Some(&owner.token),
        &[("If-Match", &etag)],
        Some(&json!({"display_name": "Backend", "description": "APIs"})),
    );
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["display_name"], "Backend");
    assert_eq!(changed.body["description"], "APIs");
    assert_eq!(changed.body["name"], "backend");
    assert_eq!(changed.body["created_at"], made.body["created_at"]);
    assert!(timestamp(&changed.body["updated_at"]) > timestamp(&made.body["updated_at"]));
    let new_etag = changed.header("etag").expect("an ETag").to_owned();
    assert_ne!(new_etag, etag);

    let stale = app.client.send_with(
        "PATCH",
        &team_path("acme", "backend"),
        Some(&owner.token),
        &[("If-Match", &stale_later)],
        Some(&json!({"display_name": "Lost update"})),
    );
    assert_problem(&stale, 412, "precondition-failed");
    assert_eq!(get_team(app, &owner, "acme", "backend"), changed.body);

    // A rename under the current ETag: the team answers to its new name only.
    let renamed = app.client.send_with(
        "PATCH",
        &team_path("acme", "backend"),
        Some(&owner.token),
        &[("If-Match", &new_etag)],
        Some(&json!({"name": "platform-api", "description": null})),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.body["id"], made.body["id"]);
    assert_eq!(renamed.body["description"], Value::Null);
    assert_eq!(
        get_team(app, &owner, "acme", "platform-api")["id"],
        made.body["id"]
    );
    assert_eq!(
        app.client
            .get(&team_path("acme", "backend"), Some(&owner.token))
            .status,
        404
    );
    // A PATCH with no If-Match is allowed.
    let blind = app.client.patch(
        &team_path("acme", "platform-api"),
        Some(&owner.token),
        &json!({"display_name": "API"}),
    );
    assert_eq!(blind.status, 200, "{}", blind.text);
    // `display_name: null` goes back to the name.
    let reset = app.client.patch(
        &team_path("acme", "platform-api"),
        Some(&owner.token),
        &json!({"display_name": null}),
    );
    assert_eq!(reset.status, 200, "{}", reset.text);
    assert_eq!(reset.body["display_name"], "platform-api");

    // A delete under an old ETag is refused too, and keeps the team.
    let stale_delete = app.client.send_with(
        "DELETE",
        &team_path("acme", "platform-api"),
        Some(&owner.token),
        &[("If-Match", &new_etag)],
        None,
    );
    assert_problem(&stale_delete, 412, "precondition-failed");
    let current = get_team(app, &owner, "acme", "platform-api");
    let current_etag = app
        .client
        .get(&team_path("acme", "platform-api"), Some(&owner.token))
        .header("etag")
        .unwrap()
        .to_owned();
    assert_eq!(current["id"], made.body["id"]);
    let deleted = app.client.send_with(
        "DELETE",
        &team_path("acme", "platform-api"),
        Some(&owner.token),
        &[("If-Match", &current_etag)],
        None,
    );
    assert_eq!(deleted.status, 204, "{}", deleted.text);
}

fn only_teams_write_changes_teams_and_teams_read_lists_them(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin", "member", "viewer"]);
    let (admin, member, viewer) = (&staff[0], &staff[1], &staff[2]);
    let outsider = app.sign_up("outsider");
    create_team(app, admin, "acme", "backend");
    assert_eq!(listed_teams(app, member, "acme", ""), ["backend"]);
    assert_eq!(get_team(app, member, "acme", "backend")["name"], "backend");

    assert_problem(
        &post_team(app, member, "acme", json!({"name": "mine"})),
        403,
        "forbidden",
    );
    assert_problem(
        &app.client.patch(
            &team_path("acme", "backend"),
            Some(&member.token),
            &json!({"display_name": "Mine"}),
        ),
        403,
        "forbidden",
    );
    assert_problem(
        &app.client
            .delete(&team_path("acme", "backend"), Some(&member.token)),
        403,
        "forbidden",
    );
    assert_problem(
        &app.client
            .get("/v1/organizations/acme/teams", Some(&viewer.token)),
        403,
        "forbidden",
    );
    // Outside the organization, nothing of it shows: 404 before 403.
    assert_problem(
        &app.client
            .get("/v1/organizations/acme/teams", Some(&outsider.token)),
        404,
        "not-found",
    );
    assert_problem(
        &post_team(app, &outsider, "acme", json!({"name": "intruders"})),
        404,
        "not-found",
    );
    assert_eq!(listed_teams(app, &owner, "acme", ""), ["backend"]);
    assert_eq!(
        get_team(app, &owner, "acme", "backend")["display_name"],
        "backend"
    );
}

fn team_changes_are_recorded_with_their_actor(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin"]);
    let admin = &staff[0];
    let before = organization_events(app, &owner, "acme").len();
    let team = create_team(app, admin, "acme", "backend");
    let patched = app.client.patch(
        &team_path("acme", "backend"),
        Some(&owner.token),
        &json!({"name": "platform-api", "display_name": "API"}),
    );
    assert_eq!(patched.status, 200, "{}", patched.text);
    // A refused change writes nothing.
    let refused = post_team(app, admin, "acme", json!({"name": "platform-api"}));
    assert_eq!(refused.status, 409);
    let deleted = app
        .client
        .delete(&team_path("acme", "platform-api"), Some(&admin.token));
    assert_eq!(deleted.status, 204, "{}", deleted.text);

    let events: Vec<Value> = organization_events(app, &owner, "acme")[before..]
        .iter()
        .filter(|e| e["type"].as_str().unwrap().starts_with("team"))
        .cloned()
        .collect();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["team.created", "team.updated", "team.deleted"]);
    for event in &events {
        assert_eq!(event["target"]["type"], "team", "{event}");
        assert_eq!(event["target"]["id"], team["id"], "{event}");
    }
    assert_eq!(events[0]["actor"]["id"], admin.id.as_str());
    assert_eq!(events[0]["data"]["name"], "backend", "{}", events[0]);
    assert_eq!(events[1]["actor"]["id"], owner.id.as_str());
    assert_eq!(
        events[1]["data"]["changes"]["name"],
        json!({"from": "backend", "to": "platform-api"}),
        "{}",
        events[1]
    );
    assert_eq!(
        events[1]["data"]["changes"]["display_name"],
        json!({"from": "backend", "to": "API"})
    );
    assert_eq!(events[2]["actor"]["id"], admin.id.as_str());
}

backend_tests!(
    creating_a_team_answers_201_with_its_defaults,
    team_names_follow_the_organization_rules,
    a_taken_team_name_is_409_but_another_organization_may_use_it,
    patching_a_team_honours_if_match,
    only_teams_write_changes_teams_and_teams_read_lists_them,
    team_changes_are_recorded_with_their_actor,
);
