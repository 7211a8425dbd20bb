//! Renaming an organization: every former name redirects to the current one.

use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::organizations::{get_org, listed_names};

fn a_renamed_organization_redirects_from_every_former_name(app: &TestApp) {
    let alice = app.sign_up("alice");
    let org = app.create_org(&alice, "first-name");
    let res = app.client.patch(
        "/v1/organizations/first-name",
        Some(&alice.token),
        &json!({"name": "second-name"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["name"], "second-name");
    assert_eq!(res.body["id"], org["id"]);

    let moved = get_org(app, &alice, "first-name");
    assert_eq!(moved.status, 308, "{}", moved.text);
    assert_eq!(
        moved.header("location"),
        Some("/v1/organizations/second-name")
    );
    assert_eq!(get_org(app, &alice, "second-name").status, 200);

    let res = app.client.patch(
        &format!("/v1/organizations/{}", org["id"].as_str().unwrap()),
        Some(&alice.token),
        &json!({"name": "third-name"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    for former in ["first-name", "second-name"] {
        let moved = get_org(app, &alice, &format!("{former}?expand=members"));
        assert_eq!(moved.status, 308, "{former}: {}", moved.text);
        assert_eq!(
            moved.header("location"),
            Some("/v1/organizations/third-name?expand=members"),
            "the query string is kept"
        );
    }
    let current = get_org(app, &alice, "third-name");
    assert_eq!(current.status, 200);
    assert_eq!(current.body["id"], org["id"]);
    assert_eq!(listed_names(app, &alice, ""), ["third-name"]);

    // Back to a former name: it is current again, and the name it leaves redirects.
    let res = app.client.patch(
        "/v1/organizations/third-name",
        Some(&alice.token),
        &json!({"name": "first-name"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(get_org(app, &alice, "first-name").body["id"], org["id"]);
    assert_eq!(
        get_org(app, &alice, "third-name").header("location"),
        Some("/v1/organizations/first-name")
    );
}

/// Everything else addressed through a former name acts on the organization as its current
/// name would: integrations that stored the old name keep working, never a bare 404.
fn a_former_name_keeps_working_for_everything_but_the_read(app: &TestApp) {
    let alice = app.sign_up("alice");
    let bob = app.sign_up("bob");
    app.create_org(&alice, "old-name");
    let renamed = app.client.patch(
        "/v1/organizations/old-name",
        Some(&alice.token),
        &json!({"name": "new-name"}),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let patched = app.client.patch(
        "/v1/organizations/old-name",
        Some(&alice.token),
        &json!({"description": "still reachable"}),
    );
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.body["name"], "new-name");
    let added = app.client.post(
        "/v1/organizations/old-name/members",
        Some(&alice.token),
        &json!({"user_id": bob.id, "role": "member"}),
    );
    assert_eq!(added.status, 201, "{}", added.text);
    let members = app
        .client
        .get("/v1/organizations/old-name/members", Some(&alice.token));
    assert_eq!(members.status, 200, "{}", members.text);
    assert_eq!(members.body["data"].as_array().unwrap().len(), 2);
    let invited = app.client.post(
        "/v1/organizations/old-name/invitations",
        Some(&alice.token),
        &json!({"email": "carol@example.test", "role": "viewer"}),
    );
    assert_eq!(invited.status, 201, "{}", invited.text);
    let revoked = app.client.delete(
        &format!(
            "/v1/organizations/old-name/invitations/{}",
            invited.body["id"].as_str().unwrap()
        ),
        Some(&alice.token),
    );
    assert_eq!(revoked.status, 204, "{}", revoked.text);
    // Not for those who cannot see it.
    let carol = app.sign_up("carol");
    let hidden = app.client.patch(
        "/v1/organizations/old-name",
        Some(&carol.token),
        &json!({"description": "x"}),
    );
    assert_eq!(hidden.status, 404, "{}", hidden.text);
}

backend_tests!(
    a_renamed_organization_redirects_from_every_former_name,
    a_former_name_keeps_working_for_everything_but_the_read,
);
