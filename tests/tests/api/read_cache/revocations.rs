//! On the instance that made it, a revocation holds for the very next request, whatever the
//! cache held (both databases). Memberships that expire stop at their time with no write at all.

use std::time::Duration;

use roster_tests::{Backend, Client, TestApp};
use serde_json::json;

use super::cases::{warm, Probe, CASES};

fn with_metrics(backend: Backend) -> Option<(TestApp, roster_tests::TestUser, Client)> {
    let (app, admin) = TestApp::spawn_with_admin(backend, &["--management-listen", "127.0.0.1:0"])?;
    let management = Client::new(app.management.as_deref().expect("a management listener"));
    Some((app, admin, management))
}

#[test]
fn every_revocation_holds_at_once_on_the_instance_that_made_it_with_a_warm_cache() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some((app, admin, management)) = with_metrics(backend) else {
            continue;
        };
        for (i, (case, prepare)) in CASES.iter().enumerate() {
            let prepared = prepare(&app, &admin, &format!("revoked-{i}"));
            warm(&app.client, &management, &prepared.probe, case);
            (prepared.revoke)(&app.client);
            assert!(
                !prepared.probe.works(&app.client),
                "{backend:?}, {case}: still works after the change"
            );
        }
    }
}

#[test]
fn an_expiring_membership_ends_at_its_time_with_a_warm_cache() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some((app, _, management)) = with_metrics(backend) else {
            continue;
        };
        let owner = app.sign_up("expiry-owner");
        app.create_org(&owner, "expiring");
        let member = app.sign_up("expiring-member");
        let until = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
        let res = app.client.post(
            "/v1/organizations/expiring/members",
            Some(&owner.token),
            &json!({"user_id": member.id, "role": "member", "expires_at": until.to_rfc3339()}),
        );
        assert_eq!(res.status, 201, "{}", res.text);
        let probe = Probe::get("/v1/organizations/expiring".into(), &member.token);
        warm(&app.client, &management, &probe, "expiring membership");
        let left = until - chrono::Utc::now();
        std::thread::sleep(left.to_std().unwrap_or_default() + Duration::from_millis(20));
        assert!(
            !probe.works(&app.client),
            "{backend:?}: works past its expiry"
        );
        // And the owner's question about the member says so too.
        let asked = app.client.post(
            "/v1/organizations/expiring/authorize",
            Some(&owner.token),
            &json!({"user_id": member.id, "permissions": ["organization:read"]}),
        );
        assert_eq!(asked.body["allowed"], false, "{}", asked.text);
    }
}

#[test]
fn a_member_added_after_being_asked_about_counts_at_once() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some((app, _, management)) = with_metrics(backend) else {
            continue;
        };
        let owner = app.sign_up("asker");
        app.create_org(&owner, "asking");
        let newcomer = app.sign_up("newcomer");
        let asked = json!({"user_id": newcomer.id, "permissions": ["organization:read"]});
        let probe = Probe {
            method: "POST",
            path: "/v1/organizations/asking/authorize".into(),
            token: owner.token.clone(),
            body: Some(asked),
            works: |res| res.status == 200 && res.body["allowed"] == false,
        };
        // "Not a member" is what the cache holds…
        warm(&app.client, &management, &probe, "not a member yet");
        crate::support::access::add_member(&app, &owner, "asking", &newcomer, "member");
        // …and the membership added meanwhile counts for the very next question.
        assert!(
            !probe.works(&app.client),
            "{backend:?}: the new member still holds nothing"
        );
    }
}
