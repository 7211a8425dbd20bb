//! The requests the team tests share: teams, their members, projects and grants made and read
//! back through the API, and the events they leave.

use roster_tests::{Res, TestApp, TestUser};
use serde_json::{json, Value};

use crate::support::events::organization_events;
pub use crate::support::teams::{create_team, id_of, put_grant};

/// `/v1/organizations/{org}/teams/{team}` (`team` is an id or a name).
pub fn team_path(org: &str, team: &str) -> String {
    format!("/v1/organizations/{org}/teams/{team}")
}

/// `/v1/organizations/{org}/teams/{team}/members/{user}`.
pub fn team_member_path(org: &str, team: &str, user: &str) -> String {
    format!("/v1/organizations/{org}/teams/{team}/members/{user}")
}

/// `by` posts `body` to create a team in `org`.
pub fn post_team(app: &TestApp, by: &TestUser, org: &str, body: Value) -> Res {
    app.client.post(
        &format!("/v1/organizations/{org}/teams"),
        Some(&by.token),
        &body,
    )
}

/// `by` reads the team; asserts 200.
pub fn get_team(app: &TestApp, by: &TestUser, org: &str, team: &str) -> Value {
    let res = app.client.get(&team_path(org, team), Some(&by.token));
    assert_eq!(res.status, 200, "reading team {team}: {}", res.text);
    res.body
}

/// The team's `member_count`, as `by` reads it.
pub fn member_count(app: &TestApp, by: &TestUser, org: &str, team: &str) -> u64 {
    get_team(app, by, org, team)["member_count"]
        .as_u64()
        .expect("a member_count")
}

/// `by` adds `user` (an id) to the team with `role`.
pub fn add_to_team(
    app: &TestApp,
    by: &TestUser,
    org: &str,
    team: &str,
    user: &str,
    role: &str,
) -> Res {
    app.client.post(
        &format!("{}/members", team_path(org, team)),
        Some(&by.token),
        &json!({"user_id": user, "role": role}),
    )
}

/// Like [`add_to_team`], asserting 201.
pub fn join_team(app: &TestApp, by: &TestUser, org: &str, team: &str, user: &TestUser, role: &str) {
    let res = add_to_team(app, by, org, team, &user.id, role);
    assert_eq!(res.status, 201, "adding to {team} as {role}: {}", res.text);
}

/// The user ids the team's member list shows to `by`, in order.
pub fn team_member_ids(app: &TestApp, by: &TestUser, org: &str, team: &str) -> Vec<String> {
    let res = app.client.get(
        &format!("{}/members?limit=100", team_path(org, team)),
        Some(&by.token),
    );
    assert_eq!(res.status, 200, "listing {team}'s members: {}", res.text);
    res.body["data"]
        .as_array()
        .expect("data array")
        .iter()
        .map(|m| m["user"]["id"].as_str().expect("user.id").to_owned())
        .collect()
}

/// The names of the teams `GET …/teams?{query}` lists to `by`, in order.
pub fn listed_teams(app: &TestApp, by: &TestUser, org: &str, query: &str) -> Vec<String> {
    let res = app.client.get(
        &format!("/v1/organizations/{org}/teams?{query}"),
        Some(&by.token),
    );
    assert_eq!(res.status, 200, "listing teams ({query}): {}", res.text);
    names(&res.body["data"])
}

/// The `name` of each object in a JSON array.
pub fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|item| item["name"].as_str().expect("a name").to_owned())
        .collect()
}

/// `by` creates the project `name` in `org`; asserts 201 and returns the project.
pub fn create_project(app: &TestApp, by: &TestUser, org: &str, name: &str) -> Value {
    let res = app.client.post(
        &format!("/v1/organizations/{org}/projects"),
        Some(&by.token),
        &json!({"name": name}),
    );
    assert_eq!(res.status, 201, "creating project {name}: {}", res.text);
    res.body
}

/// The grants `GET …/projects/{project}/teams` lists to `by`: (team id, team name, access).
pub fn grants_of(
    app: &TestApp,
    by: &TestUser,
    org: &str,
    project: &str,
) -> Vec<(String, String, String)> {
    let res = app.client.get(
        &format!("/v1/organizations/{org}/projects/{project}/teams"),
        Some(&by.token),
    );
    assert_eq!(res.status, 200, "listing {project}'s grants: {}", res.text);
    res.body["data"]
        .as_array()
        .expect("data array")
        .iter()
        .map(|g| {
            (
                g["team"]["id"].as_str().expect("team.id").to_owned(),
                g["team"]["name"].as_str().expect("team.name").to_owned(),
                g["access"].as_str().expect("access").to_owned(),
            )
        })
        .collect()
}

/// A platform admin sets `org`'s limits (merged key by key); asserts 200.
pub fn set_limits(app: &TestApp, admin: &TestUser, org: &str, limits: Value) {
    let res = app.client.patch(
        &format!("/v1/organizations/{org}"),
        Some(&admin.token),
        &json!({"limits": limits}),
    );
    assert_eq!(res.status, 200, "setting limits: {}", res.text);
}

/// The organization's events of exactly `kind`, oldest first, as `by` reads them.
pub fn events_of(app: &TestApp, by: &TestUser, org: &str, kind: &str) -> Vec<Value> {
    organization_events(app, by, org)
        .into_iter()
        .filter(|e| e["type"] == kind)
        .collect()
}

/// Whether a `team_member.*` event is about `user` in the team with id `team`.
pub fn is_about(event: &Value, team: &str, user: &str) -> bool {
    event["target"]["type"] == "team_member"
        && event["target"]["id"] == user
        && event["data"]["team"]["id"] == team
        && event["data"]["user_id"] == user
}

/// The `team_member.removed` events about `user` in the team with id `team`.
pub fn removals(app: &TestApp, by: &TestUser, org: &str, team: &str, user: &str) -> Vec<Value> {
    events_of(app, by, org, "team_member.removed")
        .into_iter()
        .filter(|e| is_about(e, team, user))
        .collect()
}
