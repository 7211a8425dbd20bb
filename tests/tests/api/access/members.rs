//! Adding, reading, changing and removing members, and who may.

use roster_tests::problem::{assert_field_error, assert_problem};
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::access::{member_path, org_key, personal_key, role_of, staffed_org};

fn adding_by_user_id_joins_at_once(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let bob = app.sign_up("bob");
    let res = app.client.post(
        "/v1/organizations/acme/members",
        Some(&owner.token),
        &json!({"user_id": bob.id, "role": "member", "permissions": ["billing:read"],
                "expires_at": "2099-01-01T00:00:00Z"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["user"]["email"], bob.email.as_str());
    assert_eq!(res.body["role"], "member");
    assert_eq!(res.body["permissions"], json!(["billing:read"]));
    assert_eq!(res.body["expires_at"], "2099-01-01T00:00:00Z");
    let location = res.header("location").unwrap().to_owned();
    let read = app.client.get(&location, Some(&owner.token));
    assert_eq!(read.status, 200);
    assert_eq!(read.body, res.body);
    assert!(read.header("etag").is_some());
    // Bob sees the organization now, and reads his own membership.
    assert_eq!(
        app.client
            .get("/v1/organizations/acme", Some(&bob.token))
            .status,
        200
    );
    assert_eq!(app.client.get(&location, Some(&bob.token)).status, 200);

    let again = app.client.post(
        "/v1/organizations/acme/members",
        Some(&owner.token),
        &json!({"user_id": bob.id, "role": "viewer"}),
    );
    assert_problem(&again, 409, "already-member");
    let ghost = app.client.post(
        "/v1/organizations/acme/members",
        Some(&owner.token),
        &json!({"user_id": uuid::Uuid::now_v7(), "role": "viewer"}),
    );
    assert_field_error(&ghost, "user_id", "not_found");
    assert_eq!(
        app.client
            .get("/v1/organizations/acme", Some(&owner.token))
            .body["member_count"],
        2
    );
}

/// By email, an invitation is made whatever the email: the answer never says whether it has an
/// account.
fn adding_by_email_invites_and_tells_nothing_about_accounts(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let bob = app.sign_up("bob");
    let known = app.client.post(
        "/v1/organizations/acme/members",
        Some(&owner.token),
        &json!({"email": bob.email, "role": "member"}),
    );
    let unknown = app.client.post(
        "/v1/organizations/acme/members",
        Some(&owner.token),
        &json!({"email": "nobody-here@example.test", "role": "member"}),
    );
    for res in [&known, &unknown] {
        assert_eq!(res.status, 202, "{}", res.text);
        assert_eq!(res.body["state"], "pending");
        assert!(res.body["token"].as_str().unwrap().starts_with("rsi_"));
        assert!(res.header("location").is_none());
    }
    let keys = |v: &serde_json::Value| {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&known.body), keys(&unknown.body));
    assert_eq!(
        role_of(app, &owner, "acme", &bob.id),
        None,
        "invited, not a member"
    );
    let with_tags = app.client.post(
        "/v1/organizations/acme/members",
        Some(&owner.token),
        &json!({"email": bob.email, "role": "member", "permissions": ["x"]}),
    );
    assert_field_error(&with_tags, "email", "invitation");
}

fn the_member_list_filters_sorts_and_pages(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["viewer", "member", "admin", "member"]);
    let all = app.client.get(
        "/v1/organizations/acme/members?include_total=true",
        Some(&owner.token),
    );
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(all.body["meta"]["total"], 5);
    let ids: Vec<&str> = all.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user"]["id"].as_str().unwrap())
        .collect();
    let mut joined = vec![owner.id.as_str()];
    joined.extend(staff.iter().map(|u| u.id.as_str()));
    assert_eq!(ids, joined, "oldest membership first");

    let members = app.client.get(
        "/v1/organizations/acme/members?role=member",
        Some(&owner.token),
    );
    assert_eq!(members.body["data"].as_array().unwrap().len(), 2);

    // By email, a page of two at a time, both ways: every member once, in order.
    for direction in ["asc", "desc"] {
        let mut seen = Vec::new();
        let mut path =
            format!("/v1/organizations/acme/members?sort=email&direction={direction}&limit=2");
        loop {
            let page = app.client.get(&path, Some(&owner.token));
            assert_eq!(page.status, 200, "{}", page.text);
            for m in page.body["data"].as_array().unwrap() {
                seen.push(m["user"]["email"].as_str().unwrap().to_owned());
            }
            match page.body["links"]["next"].as_str() {
                Some(next) => path = next.to_owned(),
                None => break,
            }
        }
        let mut expected = seen.clone();
        expected.sort();
        if direction == "desc" {
            expected.reverse();
        }
        assert_eq!(seen, expected);
        assert_eq!(seen.len(), 5);
    }
    let page = app.client.get(
        "/v1/organizations/acme/members?page=2&per_page=2",
        Some(&owner.token),
    );
    assert_eq!(page.body["data"].as_array().unwrap().len(), 2);
    assert_eq!(page.body["meta"]["total"], 5);
    for bad in ["sort=name", "direction=up", "role=Bad!", "limit=0"] {
        let res = app.client.get(
            &format!("/v1/organizations/acme/members?{bad}"),
            Some(&owner.token),
        );
        assert_problem(&res, 400, "bad-request");
    }
}

/// A cursor continues the list it came from only: another organization's, another sort's, or
/// a forged one is 400.
fn a_member_cursor_belongs_to_its_list(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &["member", "member"]);
    app.create_org(&owner, "other");
    let first = app
        .client
        .get("/v1/organizations/acme/members?limit=1", Some(&owner.token));
    let cursor = first.body["meta"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        format!("/v1/organizations/other/members?after={cursor}"),
        format!("/v1/organizations/acme/members?sort=email&after={cursor}"),
        "/v1/organizations/acme/members?after=garbage".to_owned(),
    ] {
        assert_problem(
            &app.client.get(&path, Some(&owner.token)),
            400,
            "bad-request",
        );
    }
}

fn changing_a_member_keeps_to_the_rules(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["member", "admin"]);
    let (member, admin) = (&staff[0], &staff[1]);
    let path = member_path("acme", &member.id);
    let read = app.client.get(&path, Some(&owner.token));
    let etag = read.header("etag").unwrap().to_owned();

    let res = app.client.patch(
        &path,
        Some(&admin.token),
        &json!({"role": "viewer", "permissions": ["reports:*"]}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["role"], "viewer");
    assert_eq!(res.body["permissions"], json!(["reports:*"]));
    assert_ne!(res.header("etag"), Some(etag.as_str()));
    // The old version is gone: If-Match with it is 412.
    let stale = app.client.send_with(
        "PATCH",
        &path,
        Some(&owner.token),
        &[("If-Match", &etag)],
        Some(&json!({"role": "member"})),
    );
    assert_problem(&stale, 412, "precondition-failed");

    // Admins make no owners, members change nobody, tags stay out of the catalogue.
    assert_problem(
        &app.client
            .patch(&path, Some(&admin.token), &json!({"role": "owner"})),
        403,
        "forbidden",
    );
    assert_problem(
        &app.client.patch(
            &member_path("acme", &admin.id),
            Some(&member.token),
            &json!({"role": "viewer"}),
        ),
        403,
        "forbidden",
    );
    assert_field_error(
        &app.client.patch(
            &path,
            Some(&owner.token),
            &json!({"permissions": ["members:write"]}),
        ),
        "permissions[0]",
        "catalogue_area",
    );
    assert_field_error(
        &app.client
            .patch(&path, Some(&owner.token), &json!({"role": "boss"})),
        "role",
        "unknown_role",
    );
    assert_field_error(
        &app.client.patch(
            &path,
            Some(&owner.token),
            &json!({"expires_at": "2001-01-01T00:00:00Z"}),
        ),
        "expires_at",
        "in_past",
    );
    // An owner's membership never expires.
    assert_field_error(
        &app.client.patch(
            &member_path("acme", &owner.id),
            Some(&owner.token),
            &json!({"expires_at": "2099-01-01T00:00:00Z"}),
        ),
        "expires_at",
        "owner_expiry",
    );
    assert_eq!(
        role_of(app, &owner, "acme", &member.id).as_deref(),
        Some("viewer")
    );
}

fn leaving_and_removing(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["viewer", "member", "admin"]);
    let (viewer, member, admin) = (&staff[0], &staff[1], &staff[2]);
    // A viewer may leave (no members:write needed) but remove nobody else.
    assert_problem(
        &app.client
            .delete(&member_path("acme", &member.id), Some(&viewer.token)),
        403,
        "forbidden",
    );
    let left = app
        .client
        .delete(&member_path("acme", &viewer.id), Some(&viewer.token));
    assert_eq!(left.status, 204, "{}", left.text);
    assert_problem(
        &app.client
            .get("/v1/organizations/acme", Some(&viewer.token)),
        404,
        "not-found",
    );
    // An admin removes a member, not the owner.
    assert_eq!(
        app.client
            .delete(&member_path("acme", &member.id), Some(&admin.token))
            .status,
        204
    );
    assert_problem(
        &app.client
            .delete(&member_path("acme", &owner.id), Some(&admin.token)),
        403,
        "forbidden",
    );
    assert_problem(
        &app.client
            .delete(&member_path("acme", &member.id), Some(&owner.token)),
        404,
        "not-found",
    );
    // The last owner can neither leave nor be demoted.
    assert_problem(
        &app.client
            .delete(&member_path("acme", &owner.id), Some(&owner.token)),
        409,
        "last-owner",
    );
    assert_problem(
        &app.client.patch(
            &member_path("acme", &owner.id),
            Some(&owner.token),
            &json!({"role": "admin"}),
        ),
        409,
        "last-owner",
    );
    assert_eq!(
        app.client
            .get("/v1/organizations/acme", Some(&owner.token))
            .body["member_count"],
        2
    );
}

/// A membership shows its user as the user is now: a new name or email shows in the member list,
/// in a member read and in an organization's expanded members, and the list by email follows it.
/// A member with an end date cannot move it later or drop it, whatever their role and whatever
/// key of theirs they use; they may end sooner, and another member with members:write may
/// lengthen it.
fn a_member_cannot_lengthen_their_own_membership(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &[]);
    let contractor = app.sign_up("contractor");
    let joined = app.client.post(
        "/v1/organizations/acme/members",
        Some(&owner.token),
        &json!({"user_id": contractor.id, "role": "admin", "expires_at": "2090-01-01T00:00:00Z"}),
    );
    assert_eq!(joined.status, 201, "{}", joined.text);
    assert!(staff.is_empty());
    let own = member_path("acme", &contractor.id);
    // Nor through a key they make: a key counts as its maker.
    let (_, personal) = personal_key(app, &contractor);
    let (_, organization) = org_key(app, &contractor, "acme", "admin", &[]);
    for credential in [&contractor.token, &personal, &organization] {
        for later in [json!(null), json!("2099-01-01T00:00:00Z")] {
            let res = app
                .client
                .patch(&own, Some(credential), &json!({"expires_at": later}));
            assert_problem(&res, 403, "forbidden");
        }
    }
    let sooner = app.client.patch(
        &own,
        Some(&contractor.token),
        &json!({"expires_at": "2080-01-01T00:00:00Z"}),
    );
    assert_eq!(sooner.status, 200, "{}", sooner.text);
    let by_owner = app
        .client
        .patch(&own, Some(&owner.token), &json!({"expires_at": null}));
    assert_eq!(by_owner.status, 200, "{}", by_owner.text);
    assert_eq!(by_owner.body["expires_at"], serde_json::Value::Null);
}

backend_tests!(
    adding_by_user_id_joins_at_once,
    adding_by_email_invites_and_tells_nothing_about_accounts,
    the_member_list_filters_sorts_and_pages,
    a_member_cursor_belongs_to_its_list,
    changing_a_member_keeps_to_the_rules,
    leaving_and_removing,
    a_member_cannot_lengthen_their_own_membership,
);

/// What members show of a user follows the user's changes (a new address once it is proven).
mod contact {
    use roster_tests::{mail_tests, MailSink, TestApp};
    use serde_json::json;

    use crate::support::access::{member_path, staffed_org};

    fn a_member_shows_the_user_as_the_user_is_now(app: &TestApp, sink: &MailSink) {
        let (owner, staff) = staffed_org(app, "acme", &["member"]);
        let bob = &staff[0];
        let renamed = app.client.patch(
            "/v1/users/me",
            Some(&bob.token),
            &json!({"name": "Robert Tables", "email": "aaa-robert@example.test"}),
        );
        assert_eq!(renamed.status, 200, "{}", renamed.text);
        // The new address is the account's once proven.
        let link = sink.wait_for("aaa-robert@example.test", "Confirm your email address");
        let verified = app.client.post(
            "/v1/auth/verify-email",
            None,
            &json!({"token": link.token()}),
        );
        assert_eq!(verified.status, 200, "{}", verified.text);

        let by_email = app.client.get(
            "/v1/organizations/acme/members?sort=email",
            Some(&owner.token),
        );
        assert_eq!(by_email.status, 200, "{}", by_email.text);
        let first = &by_email.body["data"][0]["user"];
        assert_eq!(first["id"], bob.id.as_str(), "the new email sorts first");
        assert_eq!(first["email"], "aaa-robert@example.test");
        assert_eq!(first["name"], "Robert Tables");

        let read = app
            .client
            .get(&member_path("acme", &bob.id), Some(&owner.token));
        assert_eq!(read.body["user"]["name"], "Robert Tables");
        let expanded = app
            .client
            .get("/v1/organizations?expand=members", Some(&owner.token));
        assert_eq!(expanded.status, 200, "{}", expanded.text);
        let members = expanded.body["data"][0]["members"].as_array().unwrap();
        let shown = members
            .iter()
            .find(|m| m["user"]["id"] == bob.id.as_str())
            .unwrap();
        assert_eq!(shown["user"]["email"], "aaa-robert@example.test");
        assert_eq!(shown["user"]["name"], "Robert Tables");

        // Clearing the name clears it in the membership too.
        let cleared = app
            .client
            .patch("/v1/users/me", Some(&bob.token), &json!({"name": null}));
        assert_eq!(cleared.status, 200, "{}", cleared.text);
        let read = app
            .client
            .get(&member_path("acme", &bob.id), Some(&owner.token));
        assert_eq!(read.body["user"]["name"], serde_json::Value::Null);
    }

    mail_tests!(a_member_shows_the_user_as_the_user_is_now);
}
