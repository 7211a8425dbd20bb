//! Deleting a team takes its members and its grants along, each with its event; a closed
//! organization keeps its teams unchangeable until a forced delete takes them all.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use super::requests::{
    add_to_team, create_project, create_team, get_team, grants_of, id_of, join_team, listed_teams,
    member_count, post_team, put_grant, removals, team_member_ids, team_member_path, team_path,
};
use crate::support::access::staffed_org;
use crate::support::events::organization_events;

fn deleting_a_team_removes_its_members_and_its_grants(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "member"]);
    let (ada, bob) = (&staff[0], &staff[1]);
    let backend = create_team(app, &owner, "acme", "backend");
    let frontend = create_team(app, &owner, "acme", "frontend");
    join_team(app, &owner, "acme", "backend", ada, "maintainer");
    join_team(app, &owner, "acme", "backend", bob, "member");
    join_team(app, &owner, "acme", "frontend", bob, "member");
    create_project(app, &owner, "acme", "website");
    assert_eq!(
        put_grant(app, &owner.token, "acme", "website", "backend", "writer").status,
        201
    );
    assert_eq!(
        put_grant(app, &owner.token, "acme", "website", "frontend", "reader").status,
        201
    );
    let bob_before = app.client.get(
        &format!("/v1/organizations/acme/projects/website/access/{}", bob.id),
        Some(&owner.token),
    );
    assert_eq!(bob_before.status, 200, "{}", bob_before.text);
    assert_eq!(bob_before.body["access"], "writer");

    let own = app.client.get(
        "/v1/organizations/acme/teams/backend/projects",
        Some(&owner.token),
    );
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(
        own.body["data"][0]["project"]["name"], "website",
        "{}",
        own.text
    );
    assert_eq!(own.body["data"][0]["access"], "writer");

    let res = app
        .client
        .delete(&team_path("acme", "backend"), Some(&owner.token));
    assert_eq!(res.status, 204, "{}", res.text);
    assert!(res.text.is_empty());
    assert_problem(
        &app.client.get(
            &format!("{}/projects", team_path("acme", &id_of(&backend))),
            Some(&owner.token),
        ),
        404,
        "not-found",
    );
    assert_problem(
        &app.client
            .get(&team_path("acme", "backend"), Some(&owner.token)),
        404,
        "not-found",
    );
    assert_problem(
        &app.client
            .get(&team_path("acme", &id_of(&backend)), Some(&owner.token)),
        404,
        "not-found",
    );
    let grants = grants_of(app, &owner, "acme", "website");
    assert_eq!(
        grants,
        [(id_of(&frontend), "frontend".to_owned(), "reader".to_owned())],
        "the deleted team's grant went with it"
    );
    assert!(listed_teams(app, &owner, "acme", &format!("user_id={}", ada.id)).is_empty());
    assert_eq!(
        listed_teams(app, &owner, "acme", &format!("user_id={}", bob.id)),
        ["frontend"]
    );
    let bob_after = app.client.get(
        &format!("/v1/organizations/acme/projects/website/access/{}", bob.id),
        Some(&owner.token),
    );
    assert_eq!(bob_after.body["access"], "reader", "{}", bob_after.text);
    assert_eq!(bob_after.body["sources"], json!(["team:frontend:reader"]));
    // The other team keeps its member; a team made again under the name starts empty.
    assert_eq!(member_count(app, &owner, "acme", "frontend"), 1);
    let again = create_team(app, &owner, "acme", "backend");
    assert_ne!(again["id"], backend["id"]);
    assert_eq!(again["member_count"], 0);
    assert!(team_member_ids(app, &owner, "acme", "backend").is_empty());
    assert_eq!(grants_of(app, &owner, "acme", "website").len(), 1);

    // Each departure and the revoked grant have their event, beside team.deleted.
    let team = id_of(&backend);
    for user in [&ada.id, &bob.id] {
        let removed = removals(app, &owner, "acme", &team, user);
        assert_eq!(removed.len(), 1, "{removed:?}");
        assert_eq!(
            removed[0]["data"]["reason"], "team_deleted",
            "{}",
            removed[0]
        );
    }
    let events = organization_events(app, &owner, "acme");
    let revoked: Vec<_> = events
        .iter()
        .filter(|e| e["type"] == "project_access.revoked")
        .collect();
    assert_eq!(revoked.len(), 1, "{revoked:?}");
    assert!(revoked[0].to_string().contains(&team), "{}", revoked[0]);
    assert_eq!(
        events
            .iter()
            .filter(|e| e["type"] == "team.deleted" && e["target"]["id"] == team.as_str())
            .count(),
        1
    );
}

/// A closed organization's teams stay readable and unchangeable; a forced delete takes them,
/// their members and their grants along, and frees their names for a new organization.
fn a_closed_organization_keeps_its_teams_until_a_forced_delete(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member"]);
    let ada = &staff[0];
    let team = create_team(app, &owner, "acme", "backend");
    join_team(app, &owner, "acme", "backend", ada, "maintainer");
    create_project(app, &owner, "acme", "website");
    assert_eq!(
        put_grant(app, &owner.token, "acme", "website", "backend", "owner").status,
        201
    );
    let closed = app
        .client
        .delete("/v1/organizations/acme", Some(&owner.token));
    assert_eq!(closed.status, 200, "{}", closed.text);

    assert_eq!(
        get_team(app, &owner, "acme", "backend"),
        get_team(app, ada, "acme", "backend")
    );
    assert_eq!(listed_teams(app, &owner, "acme", ""), ["backend"]);
    let refused = [
        post_team(app, &owner, "acme", json!({"name": "frontend"})),
        app.client.patch(
            &team_path("acme", "backend"),
            Some(&owner.token),
            &json!({"description": "still here"}),
        ),
        app.client
            .delete(&team_path("acme", "backend"), Some(&owner.token)),
        add_to_team(app, &owner, "acme", "backend", &owner.id, "member"),
        app.client.patch(
            &team_member_path("acme", "backend", &ada.id),
            Some(&ada.token),
            &json!({"role": "member"}),
        ),
        app.client.delete(
            &team_member_path("acme", "backend", &ada.id),
            Some(&owner.token),
        ),
    ];
    for res in &refused {
        assert_problem(res, 409, "conflict");
    }
    assert_eq!(get_team(app, &owner, "acme", "backend")["member_count"], 1);
    assert_eq!(
        team_member_ids(app, &owner, "acme", "backend"),
        [ada.id.as_str()]
    );

    let gone = app.client.delete(
        "/v1/organizations/acme?force=true&confirm=acme",
        Some(&owner.token),
    );
    assert_eq!(gone.status, 204, "{}", gone.text);
    assert_problem(
        &app.client
            .get(&team_path("acme", &id_of(&team)), Some(&owner.token)),
        404,
        "not-found",
    );
    app.create_org(&owner, "acme");
    assert!(listed_teams(app, &owner, "acme", "").is_empty());
    let again = create_team(app, &owner, "acme", "backend");
    assert_ne!(again["id"], team["id"]);
    assert_eq!(again["member_count"], 0);
    create_project(app, &owner, "acme", "website");
    assert!(grants_of(app, &owner, "acme", "website").is_empty());
}

backend_tests!(
    deleting_a_team_removes_its_members_and_its_grants,
    a_closed_organization_keeps_its_teams_until_a_forced_delete,
);
