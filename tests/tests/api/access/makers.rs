//! Keys and invitations speak for whoever made them: they hold only while their maker could
//! still give them, and end (revoked, with events) when the maker leaves, is removed, expires or
//! is disabled, or when the key an invitation was made with is revoked. Re-inviting replaces
//! an invitation only for those who may withdraw it.

use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, with_admin, TestApp, TestUser};
use serde_json::{json, Value};

use crate::support::access::{
    accept, add_member, invite, member_path, org_key, personal_key, role_of, staffed_org,
};
use crate::support::events::{organization_events, types};

/// The first page (up to 1,000) of a list `owner` reads.
fn listed(app: &TestApp, owner: &TestUser, path: &str) -> Vec<Value> {
    let res = app
        .client
        .get(&format!("{path}?limit=1000"), Some(&owner.token));
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["data"].as_array().unwrap().clone()
}

/// The state of invitation `id` as `owner` lists it.
fn invitation_state(app: &TestApp, owner: &TestUser, org: &str, id: &Value) -> String {
    listed(app, owner, &format!("/v1/organizations/{org}/invitations"))
        .iter()
        .find(|i| i["id"] == *id)
        .map(|i| i["state"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("invitation {id} not listed"))
}

/// The ids of the keys `owner` sees listed in `org`.
fn listed_keys(app: &TestApp, owner: &TestUser, org: &str) -> Vec<String> {
    listed(app, owner, &format!("/v1/organizations/{org}/api-keys"))
        .iter()
        .map(|k| k["id"].as_str().unwrap().to_owned())
        .collect()
}

fn whoami_status(app: &TestApp, key: &str) -> u16 {
    app.client.get("/v1/auth/whoami", Some(key)).status
}

fn reinviting_does_not_replace_an_invitation_the_caller_may_not_withdraw(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin"]);
    let admin = &staff[0];
    let bob = app.sign_up("bob");
    let owners_invitation = invite(app, &owner, "acme", &bob.email, "owner");
    let id = &owners_invitation["id"];

    // Revoking it is refused to an admin; replacing it must be refused alike.
    let revoke = app.client.delete(
        &format!(
            "/v1/organizations/acme/invitations/{}",
            id.as_str().unwrap()
        ),
        Some(&admin.token),
    );
    assert_eq!(revoke.status, 403, "{}", revoke.text);
    let replace = app.client.post(
        "/v1/organizations/acme/invitations",
        Some(&admin.token),
        &json!({"email": bob.email, "role": "viewer"}),
    );
    assert_eq!(replace.status, 403, "{}", replace.text);

    // A custom role with members:write alone, through POST …/members by email.
    let roles = app.client.post(
        "/v1/organizations/acme/roles",
        Some(&owner.token),
        &json!({"key": "recruiter", "name": "Recruiter", "permissions": ["members:write"]}),
    );
    assert_eq!(roles.status, 201, "{}", roles.text);
    let recruiter = app.sign_up("recruiter");
    add_member(app, &owner, "acme", &recruiter, "recruiter");
    let by_members = app.client.post(
        "/v1/organizations/acme/members",
        Some(&recruiter.token),
        &json!({"email": bob.email, "role": "viewer"}),
    );
    assert_eq!(by_members.status, 403, "{}", by_members.text);
    assert_eq!(invitation_state(app, &owner, "acme", id), "pending");

    // Its sender may replace it, and so may another owner.
    let replaced = app.client.post(
        "/v1/organizations/acme/invitations",
        Some(&owner.token),
        &json!({"email": bob.email, "role": "admin"}),
    );
    assert_eq!(replaced.status, 201, "{}", replaced.text);
    assert_eq!(invitation_state(app, &owner, "acme", id), "revoked");
    let mine = invite(app, &owner, "acme", "carol@example.test", "viewer");
    let again = app.client.post(
        "/v1/organizations/acme/invitations",
        Some(&admin.token),
        &json!({"email": "carol@example.test", "role": "member"}),
    );
    assert_eq!(
        again.status, 201,
        "an admin may replace a viewer invitation"
    );
    assert_eq!(
        invitation_state(app, &owner, "acme", &mine["id"]),
        "revoked"
    );
}

#[test]
fn an_invitation_from_a_disabled_sender_does_not_let_anyone_in() {
    with_admin(&[], |app, root| {
        let (owner, staff) = staffed_org(app, "acme", &["admin"]);
        let admin = &staff[0];
        let x = app.sign_up("x");
        let made = invite(app, admin, "acme", &x.email, "admin");
        let disabled = app.client.patch(
            &format!("/v1/users/{}", admin.id),
            Some(&root.token),
            &json!({"state": "disabled"}),
        );
        assert_eq!(disabled.status, 200, "{}", disabled.text);
        assert_problem(
            &accept(app, &x, made["token"].as_str().unwrap()),
            409,
            "invitation-revoked",
        );
        assert_eq!(role_of(app, &owner, "acme", &x.id), None);
        assert_eq!(
            invitation_state(app, &owner, "acme", &made["id"]),
            "revoked",
            "listed as it is"
        );
    });
}

fn a_leaving_member_takes_their_keys_and_invitations_along(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin", "admin", "admin"]);
    let ways_out: [(&TestUser, &str); 2] = [(&staff[0], "left"), (&staff[1], "removed")];
    for (member, how) in ways_out {
        let (key_id, key) = org_key(app, member, "acme", "viewer", &[]);
        let made = invite(
            app,
            member,
            "acme",
            &format!("{how}-guest@example.test"),
            "member",
        );
        let by = if how == "left" { member } else { &owner };
        let gone = app
            .client
            .delete(&member_path("acme", &member.id), Some(&by.token));
        assert_eq!(gone.status, 204, "{}", gone.text);

        assert_eq!(whoami_status(app, &key), 401, "{how}: the key stopped");
        assert!(
            !listed_keys(app, &owner, "acme").contains(&key_id),
            "{how}: a dead key is not listed as live"
        );
        assert_eq!(
            invitation_state(app, &owner, "acme", &made["id"]),
            "revoked"
        );
        // Coming back does not wake them.
        add_member(app, &owner, "acme", member, "admin");
        assert_eq!(whoami_status(app, &key), 401, "{how}: still revoked");
        assert_eq!(
            invitation_state(app, &owner, "acme", &made["id"]),
            "revoked"
        );
    }
    let recorded = types(&organization_events(app, &owner, "acme"));
    assert!(recorded.iter().filter(|t| *t == "api_key.revoked").count() >= 2);
    assert!(
        recorded
            .iter()
            .filter(|t| *t == "invitation.revoked")
            .count()
            >= 2
    );
    let events = app.client.get(
        "/v1/organizations/acme/events?type=api_key.revoked",
        Some(&owner.token),
    );
    let reasons: Vec<&str> = events.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["data"]["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["member_left", "member_removed"]);
}

#[test]
fn an_expired_membership_takes_its_keys_along() {
    roster_tests::with_flags(&["--expiry-sweep-interval", "1"], |app| {
        let (owner, _) = staffed_org(app, "acme", &[]);
        let temp = app.sign_up("temp");
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
        let added = app.client.post(
            "/v1/organizations/acme/members",
            Some(&owner.token),
            &json!({"user_id": temp.id, "role": "admin", "expires_at": soon}),
        );
        assert_eq!(added.status, 201, "{}", added.text);
        let (key_id, _) = org_key(app, &temp, "acme", "viewer", &[]);
        let made = invite(app, &temp, "acme", "later@example.test", "viewer");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while listed_keys(app, &owner, "acme").contains(&key_id) {
            assert!(
                std::time::Instant::now() < deadline,
                "the key outlived the membership"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        assert_eq!(
            invitation_state(app, &owner, "acme", &made["id"]),
            "revoked"
        );
        // An expiry is nobody's doing: the events name the system.
        let events = app.client.get(
            "/v1/organizations/acme/events?type=api_key.revoked",
            Some(&owner.token),
        );
        assert_eq!(
            events.body["data"][0]["actor"]["type"], "system",
            "{}",
            events.text
        );
    });
}

#[test]
fn disabling_a_user_ends_their_keys_and_invitations() {
    with_admin(&[], |app, root| {
        let (owner, staff) = staffed_org(app, "acme", &["admin"]);
        let admin = &staff[0];
        let (_, org_secret) = org_key(app, admin, "acme", "viewer", &[]);
        let (_, personal) = personal_key(app, admin);
        let made = invite(app, admin, "acme", "guest@example.test", "viewer");
        let patch = |state: &str| {
            app.client.patch(
                &format!("/v1/users/{}", admin.id),
                Some(&root.token),
                &json!({"state": state}),
            )
        };
        assert_eq!(patch("disabled").status, 200);
        assert_eq!(patch("active").status, 200);
        assert_eq!(whoami_status(app, &org_secret), 401, "not woken up");
        assert_eq!(whoami_status(app, &personal), 401, "not woken up");
        assert_eq!(
            invitation_state(app, &owner, "acme", &made["id"]),
            "revoked"
        );
    });
}

fn revoking_a_key_ends_the_invitations_made_with_it(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let (key_id, key) = org_key(app, &owner, "acme", "admin", &[]);
    let guest = app.sign_up("guest");
    let made = app.client.post(
        "/v1/organizations/acme/invitations",
        Some(&key),
        &json!({"email": guest.email, "role": "admin"}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    let by_person = invite(app, &owner, "acme", "friend@example.test", "viewer");
    let revoked = app.client.delete(
        &format!("/v1/organizations/acme/api-keys/{key_id}"),
        Some(&owner.token),
    );
    assert_eq!(revoked.status, 204);
    assert_problem(
        &accept(app, &guest, made.body["token"].as_str().unwrap()),
        409,
        "invitation-revoked",
    );
    assert_eq!(
        invitation_state(app, &owner, "acme", &made.body["id"]),
        "revoked"
    );
    assert_eq!(
        invitation_state(app, &owner, "acme", &by_person["id"]),
        "pending",
        "its maker's own invitations stand"
    );
}

#[test]
fn a_key_creates_no_users_and_makes_no_platform_admins() {
    with_admin(&[], |app, root| {
        let (_, root_key) = personal_key(app, root);
        let created = app.client.post(
            "/v1/users",
            Some(&root_key),
            &json!({"email": "made-by-key@example.test", "password": "a long password"}),
        );
        assert_eq!(created.status, 403, "{}", created.text);
        let someone = app.sign_up("someone");
        let promote = app.client.patch(
            &format!("/v1/users/{}", someone.id),
            Some(&root_key),
            &json!({"is_admin": true}),
        );
        assert_eq!(promote.status, 403, "{}", promote.text);
        // A key may still do a platform admin's routine work.
        let rename = app.client.patch(
            &format!("/v1/users/{}", someone.id),
            Some(&root_key),
            &json!({"name": "Someone Else"}),
        );
        assert_eq!(rename.status, 200, "{}", rename.text);
        let by_person = app.client.patch(
            &format!("/v1/users/{}", someone.id),
            Some(&root.token),
            &json!({"is_admin": true}),
        );
        assert_eq!(by_person.status, 200, "{}", by_person.text);
        // Someone is an admin now: the key may no longer disable or change them either.
        for change in [json!({"state": "disabled"}), json!({"name": "Gone"})] {
            let res = app.client.patch(
                &format!("/v1/users/{}", someone.id),
                Some(&root_key),
                &change,
            );
            assert_eq!(res.status, 403, "{change}: {}", res.text);
        }
    });
}

fn a_demoted_senders_invitations_are_revoked(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin"]);
    let admin = &staff[0];
    let made = invite(app, admin, "acme", "guest@example.test", "admin");
    let demoted = app.client.patch(
        &member_path("acme", &admin.id),
        Some(&owner.token),
        &json!({"role": "viewer"}),
    );
    assert_eq!(demoted.status, 200, "{}", demoted.text);
    assert_eq!(
        invitation_state(app, &owner, "acme", &made["id"]),
        "revoked"
    );
}

/// The revocations honour `If-Match` (the ETag their creation answered): a stale one is 412
/// and revokes nothing.
fn revocations_honour_if_match(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let made_key = app.client.post(
        "/v1/organizations/acme/api-keys",
        Some(&owner.token),
        &json!({"name": "ci", "role": "viewer"}),
    );
    let personal = app.client.post(
        "/v1/users/me/api-keys",
        Some(&owner.token),
        &json!({"name": "scripts"}),
    );
    let invited = app.client.post(
        "/v1/organizations/acme/invitations",
        Some(&owner.token),
        &json!({"email": "guest@example.test", "role": "viewer"}),
    );
    let cases = [
        (made_key, "/v1/organizations/acme/api-keys"),
        (personal, "/v1/users/me/api-keys"),
        (invited, "/v1/organizations/acme/invitations"),
    ];
    for (made, base) in cases {
        assert_eq!(made.status, 201, "{}", made.text);
        let etag = made.header("etag").expect("an ETag").to_owned();
        let path = format!("{base}/{}", made.body["id"].as_str().unwrap());
        let stale = app.client.send_with(
            "DELETE",
            &path,
            Some(&owner.token),
            &[("If-Match", "\"stale\"")],
            None,
        );
        assert_problem(&stale, 412, "precondition-failed");
        let current = app.client.send_with(
            "DELETE",
            &path,
            Some(&owner.token),
            &[("If-Match", etag.as_str())],
            None,
        );
        assert_eq!(current.status, 204, "{path}: {}", current.text);
        let again = app.client.send_with(
            "DELETE",
            &path,
            Some(&owner.token),
            &[("If-Match", etag.as_str())],
            None,
        );
        assert_problem(&again, 412, "precondition-failed");
    }
}

/// An invitation that has expired holds nothing: anyone who may invite replaces it, whatever
/// role it offered.
fn an_expired_invitation_is_replaced_by_anyone_who_may_invite(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["admin"]);
    let bob = app.sign_up("bob");
    let old = invite(app, &owner, "acme", &bob.email, "owner");
    crate::support::stored::expire_invitation(app, old["token"].as_str().unwrap());
    let again = app.client.post(
        "/v1/organizations/acme/invitations",
        Some(&staff[0].token),
        &json!({"email": bob.email, "role": "viewer"}),
    );
    assert_eq!(again.status, 201, "{}", again.text);
}

/// An invitation made with an API key holds only while the key is live and grants its role:
/// once the key has expired, it lets nobody in.
fn an_invitation_ends_when_its_key_expires(app: &TestApp) {
    let (owner, _) = staffed_org(app, "acme", &[]);
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let made = app.client.post(
        "/v1/organizations/acme/api-keys",
        Some(&owner.token),
        &json!({"name": "short", "role": "admin", "expires_at": soon}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    let key = made.body["key"].as_str().unwrap();
    let guest = app.sign_up("guest");
    let invited = app.client.post(
        "/v1/organizations/acme/invitations",
        Some(key),
        &json!({"email": guest.email, "role": "member"}),
    );
    assert_eq!(invited.status, 201, "{}", invited.text);
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert_problem(
        &accept(app, &guest, invited.body["token"].as_str().unwrap()),
        409,
        "invitation-revoked",
    );
}

/// Only its maker, while the sole owner, makes an organization personal: a co-owner could
/// otherwise never be removed.
fn only_a_sole_owner_makes_an_organization_personal(app: &TestApp) {
    let (owner, staff) = staffed_org(app, "acme", &["owner"]);
    let personal = |who: &TestUser| {
        app.client.patch(
            "/v1/organizations/acme",
            Some(&who.token),
            &json!({"personal": true}),
        )
    };
    assert_problem(&personal(&owner), 403, "forbidden");
    assert_problem(&personal(&staff[0]), 403, "forbidden");
    let demoted = app.client.patch(
        &member_path("acme", &staff[0].id),
        Some(&owner.token),
        &json!({"role": "admin"}),
    );
    assert_eq!(demoted.status, 200, "{}", demoted.text);
    assert_eq!(personal(&owner).status, 200);
}

backend_tests!(
    an_expired_invitation_is_replaced_by_anyone_who_may_invite,
    an_invitation_ends_when_its_key_expires,
    only_a_sole_owner_makes_an_organization_personal,
    reinviting_does_not_replace_an_invitation_the_caller_may_not_withdraw,
    a_leaving_member_takes_their_keys_and_invitations_along,
    revoking_a_key_ends_the_invitations_made_with_it,
    a_demoted_senders_invitations_are_revoked,
    revocations_honour_if_match,
);
