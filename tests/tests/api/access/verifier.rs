//! `roster-auth`'s example service (crates/roster-auth/examples/guarded_service.rs), run
//! against a real Roster: it verifies Roster's tokens from the JWKS URL, guards its route with
//! a permission, and keeps working across a signing-key rotation.

use std::time::{Duration, Instant};

use roster_core::keys;
use roster_tests::{with_flags, Res, TestApp, TestUser};
use serde_json::json;

use crate::support::access::{member_path, staffed_org};
use crate::support::stored::db;

#[path = "../../../../crates/roster-auth/examples/guarded_service.rs"]
#[allow(dead_code)]
mod guarded_service;

/// Starts the example service in a thread of its own; returns its base URL.
fn start_service(roster: &str) -> String {
    let verifier =
        guarded_service::keep_keys_fresh(roster, "roster", Duration::from_millis(200)).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            guarded_service::serve(listener, verifier, "invoices:read")
                .unwrap()
                .await
        })
    });
    format!("http://127.0.0.1:{port}")
}

fn scoped_token(app: &TestApp, user: &TestUser, org: &str) -> String {
    let res = app.client.post(
        "/v1/auth/token",
        None,
        &json!({"grant_type": "password", "username": user.email, "password": user.password, "organization": org}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["access_token"].as_str().unwrap().to_owned()
}

fn invoices(service: &roster_tests::Client, token: Option<&str>) -> Res {
    service.get("/invoices", token)
}

#[test]
fn the_example_service_guards_its_route_with_a_permission() {
    with_flags(&["--key-refresh-interval", "1"], |app| {
        let (owner, staff) = staffed_org(app, "acme", &["member", "viewer"]);
        let (accountant, viewer) = (&staff[0], &staff[1]);
        let tagged = app.client.patch(
            &member_path("acme", &accountant.id),
            Some(&owner.token),
            &json!({"permissions": ["invoices:*"]}),
        );
        assert_eq!(tagged.status, 200, "{}", tagged.text);
        let service = roster_tests::Client::new(&start_service(&app.base));

        let first = scoped_token(app, accountant, "acme");
        let allowed = invoices(&service, Some(&first));
        assert_eq!(allowed.status, 200, "{}", allowed.text);
        let org = app.client.get("/v1/organizations/acme", Some(&owner.token));
        assert_eq!(allowed.body["organization_id"], org.body["id"]);
        assert_eq!(allowed.body["user_id"], accountant.id.as_str());
        // The owner holds every application permission.
        assert_eq!(
            invoices(&service, Some(&scoped_token(app, &owner, "acme"))).status,
            200
        );

        let refused = invoices(&service, Some(&scoped_token(app, viewer, "acme")));
        assert_eq!(refused.status, 403, "{}", refused.text);
        assert_eq!(
            refused.body["type"],
            "https://roster.dev/problems/forbidden"
        );
        assert_eq!(
            invoices(&service, Some(&accountant.token)).status,
            403,
            "not scoped: no organization's permissions"
        );
        assert_eq!(invoices(&service, None).status, 401);
        assert_eq!(invoices(&service, Some("not.a.token")).status, 401);

        // Roster rotates its key: once new tokens carry the new kid, the service accepts them
        // (it picks the new key up from the JWKS), and still the old ones.
        keys::rotate(&db(app), None).unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let token = scoped_token(app, accountant, "acme");
            let res = invoices(&service, Some(&token));
            if kid_of(&token) != kid_of(&first) && res.status == 200 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the service never accepted the new key: {}",
                res.text
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        assert_eq!(invoices(&service, Some(&first)).status, 200);
    });
}

fn kid_of(token: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let Some(header) = token.split('.').next() else {
        return String::new();
    };
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap_or_default())
            .unwrap_or_default();
    header["kid"].as_str().unwrap_or_default().to_owned()
}
