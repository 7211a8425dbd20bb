//! Teams, projects and grants made through the API, for the test areas that need them.

use roster_tests::{Res, TestApp, TestUser};
use serde_json::{json, Value};

/// `/v1/organizations/{org}/projects/{project}/teams/{team}`: one team's grant on a project.
pub fn grant_path(org: &str, project: &str, team: &str) -> String {
    format!("/v1/organizations/{org}/projects/{project}/teams/{team}")
}

/// The string `id` of a JSON object.
pub fn id_of(object: &Value) -> String {
    object["id"].as_str().expect("an id").to_owned()
}

/// `by` creates the team `name` in `org`; asserts 201 and returns it.
pub fn create_team(app: &TestApp, by: &TestUser, org: &str, name: &str) -> Value {
    let res = app.client.post(
        &format!("/v1/organizations/{org}/teams"),
        Some(&by.token),
        &json!({"name": name}),
    );
    assert_eq!(res.status, 201, "creating team {name}: {}", res.text);
    res.body
}

/// `PUT …/projects/{project}/teams/{team}` `{"access"}` as `token`.
pub fn put_grant(
    app: &TestApp,
    token: &str,
    org: &str,
    project: &str,
    team: &str,
    access: &str,
) -> Res {
    app.client.put(
        &grant_path(org, project, team),
        Some(token),
        &json!({"access": access}),
    )
}

/// `by` grants `team` `access` on `project` (new or changed); asserts 200 or 201.
pub fn grant(app: &TestApp, by: &TestUser, org: &str, project: &str, team: &str, access: &str) {
    let res = put_grant(app, &by.token, org, project, team, access);
    assert!(
        res.status == 201 || res.status == 200,
        "granting {team} {access} on {project}: {}",
        res.text
    );
}
