//! Making teams, projects and grants through the API, and reading projects back, for the tests
//! of this area.

use roster_tests::{Res, TestApp, TestUser};

use crate::support::access::staffed_org;
pub use crate::support::teams::{create_team, grant, grant_path, id_of, put_grant};
use serde_json::{json, Value};

/// `/v1/organizations/{org}/projects`.
pub fn projects_path(org: &str) -> String {
    format!("/v1/organizations/{org}/projects")
}

/// `/v1/organizations/{org}/projects/{project}`.
pub fn project_path(org: &str, project: &str) -> String {
    format!("/v1/organizations/{org}/projects/{project}")
}

/// `/v1/organizations/{org}/projects/{project}/access/{user}`.
pub fn access_path(org: &str, project: &str, user: &str) -> String {
    format!("/v1/organizations/{org}/projects/{project}/access/{user}")
}

/// `token` creates the project `body` in `org`; asserts 201 and returns it.
pub fn create_project(app: &TestApp, token: &str, org: &str, body: Value) -> Value {
    let res = app.client.post(&projects_path(org), Some(token), &body);
    assert_eq!(res.status, 201, "creating project {body}: {}", res.text);
    res.body
}

/// `owner` creates a project `name` in `org` with `visibility`; returns it.
pub fn project(app: &TestApp, owner: &TestUser, org: &str, name: &str, visibility: &str) -> Value {
    create_project(
        app,
        &owner.token,
        org,
        json!({"name": name, "visibility": visibility}),
    )
}

/// `by` puts `user` into the team `team` of `org` as a plain team member; asserts 201.
pub fn join_team(app: &TestApp, by: &TestUser, org: &str, team: &str, user: &TestUser) {
    let res = app.client.post(
        &format!("/v1/organizations/{org}/teams/{team}/members"),
        Some(&by.token),
        &json!({"user_id": user.id, "role": "member"}),
    );
    assert_eq!(res.status, 201, "adding to team {team}: {}", res.text);
}

/// The projects `token` lists in `org` with `query`, as `(name, access)` pairs in order;
/// asserts 200.
pub fn listed(app: &TestApp, token: &str, org: &str, query: &str) -> Vec<(String, Value)> {
    let res = app
        .client
        .get(&format!("{}?{query}", projects_path(org)), Some(token));
    assert_eq!(res.status, 200, "listing projects: {}", res.text);
    entries(&res.body)
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_owned(), p["access"].clone()))
        .collect()
}

/// The `(name, access)` pairs a caller's project list holds, sorted by name: only the projects
/// it can access (every access is a level).
pub fn accessible(app: &TestApp, token: &str, org: &str) -> Vec<(String, String)> {
    accessible_where(app, token, org, "")
}

/// Like [`accessible`], with more of the query (`&user_id=…`).
pub fn accessible_where(
    app: &TestApp,
    token: &str,
    org: &str,
    more: &str,
) -> Vec<(String, String)> {
    listed(app, token, org, &format!("sort=name&limit=1000{more}"))
        .into_iter()
        .map(|(name, access)| {
            let level = access
                .as_str()
                .unwrap_or_else(|| panic!("{name} listed with access {access}"))
                .to_owned();
            (name, level)
        })
        .collect()
}

/// `(name, access)` pairs to compare with [`accessible`].
pub fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(name, access)| ((*name).to_owned(), (*access).to_owned()))
        .collect()
}

/// The entries of a list response's `data`.
pub fn entries(list: &Value) -> &Vec<Value> {
    list["data"].as_array().expect("a data array")
}

/// `token`'s access to `project` as `GET …/projects/{project}` shows it: the level, or `None`
/// when the project is 404 to them.
pub fn access_to(app: &TestApp, token: &str, org: &str, project: &str) -> Option<String> {
    let res = app.client.get(&project_path(org, project), Some(token));
    match res.status {
        200 => Some(
            res.body["access"]
                .as_str()
                .expect("an access level")
                .to_owned(),
        ),
        404 => None,
        other => panic!("reading {project} answered {other}: {}", res.text),
    }
}

/// `sources` of an access answer, sorted (their order is not part of the contract).
pub fn sorted_sources(answer: &Value) -> Vec<String> {
    let mut sources: Vec<String> = answer["sources"]
        .as_array()
        .expect("a sources array")
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    sources.sort();
    sources
}

/// acme, with an admin, a member and a viewer; teams `backend` and `frontend`; projects
/// `gateway`, `secret` and `payments` (private) and `website` (organization).
pub struct Acme {
    pub owner: TestUser,
    pub admin: TestUser,
    pub member: TestUser,
    pub viewer: TestUser,
}

/// Sets up [`Acme`].
pub fn acme(app: &TestApp) -> Acme {
    let (owner, staff) = staffed_org(app, "acme", &["admin", "member", "viewer"]);
    let mut staff = staff.into_iter();
    let acme = Acme {
        owner,
        admin: staff.next().unwrap(),
        member: staff.next().unwrap(),
        viewer: staff.next().unwrap(),
    };
    for team in ["backend", "frontend"] {
        create_team(app, &acme.owner, "acme", team);
    }
    for (name, visibility) in [
        ("gateway", "private"),
        ("secret", "private"),
        ("payments", "private"),
        ("website", "organization"),
    ] {
        project(app, &acme.owner, "acme", name, visibility);
    }
    acme
}

/// What the owner's list shows: every project of acme, as its owner.
pub fn every_project_as_owner() -> Vec<(String, String)> {
    pairs(&[
        ("gateway", "owner"),
        ("payments", "owner"),
        ("secret", "owner"),
        ("website", "owner"),
    ])
}

/// `token` changes the description of acme's `project`.
pub fn patch_description(app: &TestApp, token: &str, project: &str) -> Res {
    app.client.patch(
        &project_path("acme", project),
        Some(token),
        &json!({"description": "changed"}),
    )
}

/// The names in a list of `(name, access)` pairs, in order.
pub fn names(list: &[(String, Value)]) -> Vec<String> {
    list.iter().map(|(name, _)| name.clone()).collect()
}
