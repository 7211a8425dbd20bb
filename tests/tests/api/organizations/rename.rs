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

backend_tests!(a_renamed_organization_redirects_from_every_former_name,);
