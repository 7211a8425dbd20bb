//! Effective permissions with their sources, and the `authorize` question.

use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, with_admin, TestApp};
use serde_json::json;

use crate::support::access::{authorize, member_path, staffed_org};

fn effective_permissions_name_their_sources(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "viewer"]);
    let (member, viewer) = (&staff[0], &staff[1]);
    let tagged = app.client.patch(
        &member_path("acme", &member.id),
        Some(&owner.token),
        &json!({"permissions": ["billing:*", "reports.export"]}),
    );
    assert_eq!(tagged.status, 200, "{}", tagged.text);
    let path = format!("{}/permissions", member_path("acme", &member.id));
    let res = app.client.get(&path, Some(&member.token));
    assert_eq!(res.status, 200, "a member reads its own: {}", res.text);
    let data = res.body["data"].as_array().unwrap();
    let find = |p: &str| {
        data.iter()
            .find(|e| e["permission"] == p)
            .map(|e| e["sources"].clone())
    };
    assert_eq!(find("members:read"), Some(json!(["role:member"])));
    assert_eq!(find("billing:*"), Some(json!(["tag:billing:*"])));
    assert_eq!(find("reports.export"), Some(json!(["tag:reports.export"])));
    assert_eq!(find("members:write"), None);
    // A viewer reads its own, not someone else's (that takes members:read).
    let own = format!("{}/permissions", member_path("acme", &viewer.id));
    assert_eq!(app.client.get(&own, Some(&viewer.token)).status, 200);
    assert_problem(
        &app.client.get(&path, Some(&viewer.token)),
        403,
        "forbidden",
    );
    let nobody = format!(
        "{}/permissions",
        member_path("acme", &uuid::Uuid::now_v7().to_string())
    );
    assert_problem(
        &app.client.get(&nobody, Some(&owner.token)),
        404,
        "not-found",
    );
}

fn authorize_answers_for_the_caller_or_a_member(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "viewer"]);
    let (member, viewer) = (&staff[0], &staff[1]);
    app.client.patch(
        &member_path("acme", &member.id),
        Some(&owner.token),
        &json!({"permissions": ["billing:*"]}),
    );

    let mine = authorize(
        app,
        &member.token,
        "acme",
        None,
        &["members:read", "billing:read", "billing:invoices:void"],
    );
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert_eq!(
        mine.body,
        json!({"allowed": true, "results": {"members:read": true, "billing:read": true, "billing:invoices:void": true}})
    );
    let not_all = authorize(
        app,
        &member.token,
        "acme",
        Some(&member.id),
        &["members:write", "billing:read"],
    );
    assert_eq!(not_all.body["allowed"], false);
    assert_eq!(not_all.body["results"]["members:write"], false);

    // About someone else: the owner may (members:read), a viewer may not.
    let about = authorize(
        app,
        &owner.token,
        "acme",
        Some(&member.id),
        &["billing:read", "organization:delete"],
    );
    assert_eq!(
        about.body["results"],
        json!({"billing:read": true, "organization:delete": false})
    );
    assert_problem(
        &authorize(
            app,
            &viewer.token,
            "acme",
            Some(&member.id),
            &["billing:read"],
        ),
        403,
        "forbidden",
    );
    // The owner holds everything, application permissions too.
    let owner_self = authorize(
        app,
        &owner.token,
        "acme",
        None,
        &["organization:delete", "anything.at:all"],
    );
    assert_eq!(owner_self.body["allowed"], true);
    // A non-member holds nothing; a user that does not exist is no question at all.
    let stranger = app.sign_up("stranger");
    let res = authorize(
        app,
        &owner.token,
        "acme",
        Some(&stranger.id),
        &["organization:read"],
    );
    assert_eq!(
        res.body,
        json!({"allowed": false, "results": {"organization:read": false}})
    );
    let nobody = uuid::Uuid::now_v7().to_string();
    assert_field_error(
        &authorize(
            app,
            &owner.token,
            "acme",
            Some(&nobody),
            &["organization:read"],
        ),
        "user_id",
        "not_found",
    );
    // The stranger cannot ask at all: the organization is private.
    assert_problem(
        &authorize(app, &stranger.token, "acme", None, &["organization:read"]),
        404,
        "not-found",
    );
}

fn authorize_checks_its_question(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    assert_field_error(
        &authorize(app, &owner.token, "acme", None, &[]),
        "permissions",
        "out_of_range",
    );
    assert_field_error(
        &authorize(app, &owner.token, "acme", None, &["ok", "Not OK"]),
        "permissions[1]",
        "invalid_format",
    );
    let many: Vec<String> = (0..101).map(|i| format!("p{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_field_error(
        &authorize(app, &owner.token, "acme", None, &many),
        "permissions",
        "out_of_range",
    );
    let res = app.client.post(
        "/v1/organizations/acme/authorize",
        Some(&owner.token),
        &json!({"permissions": ["a"], "user": "x"}),
    );
    assert_field_error(&res, "user", "unknown_field");
    // A misspelt catalogue permission is an error, not a silent `false` (nor a `true` from a
    // wildcard tag).
    assert_field_error(
        &authorize(
            app,
            &owner.token,
            "acme",
            None,
            &["members:read", "members:delete"],
        ),
        "permissions[1]",
        "unknown_permission",
    );
}

/// Tags are the application's own: no tag, wildcard or not, reaches into a catalogue area.
fn tags_never_reach_into_catalogue_areas(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member"]);
    let member = &staff[0];
    for tag in ["*", "organization*", "members*", "m*", ":*", "members:*"] {
        let res = app.client.patch(
            &member_path("acme", &member.id),
            Some(&owner.token),
            &json!({"permissions": [tag]}),
        );
        assert_eq!(res.status, 422, "{tag}: {}", res.text);
        assert_eq!(res.error_fields(), ["permissions[0]"], "{tag}");
        let key = app.client.post(
            "/v1/organizations/acme/api-keys",
            Some(&owner.token),
            &json!({"name": "k", "role": "viewer", "permissions": [tag]}),
        );
        assert_eq!(key.status, 422, "{tag}: {}", key.text);
    }
    let fine = app.client.patch(
        &member_path("acme", &member.id),
        Some(&owner.token),
        &json!({"permissions": ["billing*", "reports:*"]}),
    );
    assert_eq!(fine.status, 200, "{}", fine.text);
}

/// A platform admin who is not a member is, to `authorize`, just that: not a member. Whether
/// someone is a platform admin is not for members to learn.
#[test]
fn authorize_does_not_tell_who_is_a_platform_admin() {
    with_admin(&[], |app, root| {
        let (owner, _) = staffed_org(app, "acme", &[]);
        let res = authorize(
            app,
            &owner.token,
            "acme",
            Some(&root.id),
            &["organization:read"],
        );
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.body["allowed"], false);
        // Asking for itself, a platform admin holds everything, as everywhere.
        let own = authorize(app, &root.token, "acme", None, &["organization:delete"]);
        assert_eq!(own.body["allowed"], true);
    });
}

/// `authorize` changes nothing, so it honours no `Idempotency-Key`: asked again with the same
/// key after the member lost a permission, it answers from the present, never a stored "yes".
fn authorize_is_never_replayed(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member"]);
    let member = &staff[0];
    let grant = |tags: serde_json::Value| {
        let res = app.client.patch(
            &member_path("acme", &member.id),
            Some(&owner.token),
            &json!({"permissions": tags}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
    };
    let ask = || {
        app.client.send_with(
            "POST",
            "/v1/organizations/acme/authorize",
            Some(&member.token),
            &[("Idempotency-Key", "same-key-each-time")],
            Some(&json!({"permissions": ["billing:refund"]})),
        )
    };
    grant(json!(["billing:refund"]));
    let before = ask();
    assert_eq!(before.status, 200, "{}", before.text);
    assert_eq!(before.body["allowed"], true);
    grant(json!([]));
    let after = ask();
    assert_eq!(after.status, 200, "{}", after.text);
    assert_eq!(
        after.body["allowed"], false,
        "a stale decision was replayed"
    );
    assert!(after.header("idempotent-replayed").is_none());
}

backend_tests!(
    tags_never_reach_into_catalogue_areas,
    effective_permissions_name_their_sources,
    authorize_answers_for_the_caller_or_a_member,
    authorize_checks_its_question,
    authorize_is_never_replayed,
);
