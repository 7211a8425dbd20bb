//! Setting up organizations with members, invitations and API keys through the API.

use roster_tests::{Res, TestApp, TestUser};
use serde_json::{json, Value};

/// `/v1/organizations/{org}/members/{user}`.
pub fn member_path(org: &str, user: &str) -> String {
    format!("/v1/organizations/{org}/members/{user}")
}

/// `by` adds `user` to `org` with `role` (by user id); asserts 201.
pub fn add_member(app: &TestApp, by: &TestUser, org: &str, user: &TestUser, role: &str) -> Value {
    let res = app.client.post(
        &format!("/v1/organizations/{org}/members"),
        Some(&by.token),
        &json!({"user_id": user.id, "role": role}),
    );
    assert_eq!(res.status, 201, "adding {role}: {}", res.text);
    res.body
}

/// A new organization named `name`, owned by a new user, with one new user in each of the
/// given roles; returns the owner and the members, in order.
pub fn staffed_org(app: &TestApp, name: &str, roles: &[&str]) -> (TestUser, Vec<TestUser>) {
    let owner = app.sign_up(&format!("{name}-owner"));
    app.create_org(&owner, name);
    let members = roles
        .iter()
        .map(|role| {
            let user = app.sign_up(&format!("{name}-{role}"));
            add_member(app, &owner, name, &user, role);
            user
        })
        .collect();
    (owner, members)
}

/// `by` invites `email` to `org` with `role`; asserts 201 and returns the invitation (with
/// its token).
pub fn invite(app: &TestApp, by: &TestUser, org: &str, email: &str, role: &str) -> Value {
    let res = app.client.post(
        &format!("/v1/organizations/{org}/invitations"),
        Some(&by.token),
        &json!({"email": email, "role": role}),
    );
    assert_eq!(res.status, 201, "inviting: {}", res.text);
    res.body
}

/// `user` accepts the invitation `token`.
pub fn accept(app: &TestApp, user: &TestUser, token: &str) -> Res {
    app.client.post(
        "/v1/invitations/accept",
        Some(&user.token),
        &json!({"token": token}),
    )
}

/// `by` makes an organization API key with `role` and `tags`; returns its id and secret.
pub fn org_key(
    app: &TestApp,
    by: &TestUser,
    org: &str,
    role: &str,
    tags: &[&str],
) -> (String, String) {
    let res = app.client.post(
        &format!("/v1/organizations/{org}/api-keys"),
        Some(&by.token),
        &json!({"name": format!("{role} key"), "role": role, "permissions": tags}),
    );
    assert_eq!(res.status, 201, "making a key: {}", res.text);
    key_of(&res)
}

/// `user` makes a personal API key; returns its id and secret.
pub fn personal_key(app: &TestApp, user: &TestUser) -> (String, String) {
    let res = app.client.post(
        "/v1/users/me/api-keys",
        Some(&user.token),
        &json!({"name": "scripts"}),
    );
    assert_eq!(res.status, 201, "making a personal key: {}", res.text);
    key_of(&res)
}

fn key_of(res: &Res) -> (String, String) {
    (
        res.body["id"].as_str().unwrap().to_owned(),
        res.body["key"].as_str().unwrap().to_owned(),
    )
}

/// Asks `authorize` in `org` as `token`, about `user` (or the caller), for `permissions`.
pub fn authorize(
    app: &TestApp,
    token: &str,
    org: &str,
    user: Option<&str>,
    permissions: &[&str],
) -> Res {
    let mut body = json!({"permissions": permissions});
    if let Some(user) = user {
        body["user_id"] = json!(user);
    }
    app.client.post(
        &format!("/v1/organizations/{org}/authorize"),
        Some(token),
        &body,
    )
}

/// The role of `user` in `org`, as its owner reads it (`None` when not a member).
pub fn role_of(app: &TestApp, owner: &TestUser, org: &str, user: &str) -> Option<String> {
    let res = app.client.get(&member_path(org, user), Some(&owner.token));
    match res.status {
        200 => Some(res.body["role"].as_str().unwrap().to_owned()),
        404 => None,
        other => panic!("reading a membership answered {other}: {}", res.text),
    }
}
