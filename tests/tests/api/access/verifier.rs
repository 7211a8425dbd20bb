//! `roster-auth`'s `RemoteKeys` and its example service (crates/roster-auth/examples/
//! guarded_service.rs), run against a real Roster: it verifies Roster's tokens with the keys of
//! its JWKS URL, guards its route with a permission, keeps working across a signing-key
//! rotation (by its periodic refresh, and at once for an unknown `kid`, rate-limited), and
//! checks API keys through Roster's whoami.

use std::time::{Duration, Instant};

use roster_auth::RemoteKeys;
use roster_core::keys;
use roster_tests::{with_flags, Client, Res, TestApp, TestUser};
use serde_json::json;

use crate::support::access::{member_path, org_key, personal_key, staffed_org};
use crate::support::stored::db;

#[path = "../../../../crates/roster-auth/examples/guarded_service.rs"]
#[allow(dead_code)]
mod guarded_service;

/// Starts the example service in a thread of its own with `keys`; returns a client for it.
fn start_service(keys: RemoteKeys) -> Client {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        actix_web::rt::System::new()
            .block_on(async move { guarded_service::serve(listener, keys).unwrap().await })
    });
    Client::new(&format!("http://127.0.0.1:{port}"))
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

fn invoices(service: &Client, token: Option<&str>) -> Res {
    service.get("/invoices", token)
}

/// An owner, and an accountant tagged `invoices:*`, in `acme`.
fn accountant(app: &TestApp) -> (TestUser, TestUser, TestUser) {
    let (owner, mut staff) = staffed_org(app, "acme", &["member", "viewer"]);
    let tagged = app.client.patch(
        &member_path("acme", &staff[0].id),
        Some(&owner.token),
        &json!({"permissions": ["invoices:*"]}),
    );
    assert_eq!(tagged.status, 200, "{}", tagged.text);
    let viewer = staff.pop().unwrap();
    (owner, staff.pop().unwrap(), viewer)
}

/// Rotates Roster's key and waits until Roster signs with the new one; returns such a token.
fn rotate_and_wait(app: &TestApp, user: &TestUser, old: &str) -> String {
    keys::rotate(&db(app), None).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let token = scoped_token(app, user, "acme");
        if kid_of(&token) != kid_of(old) {
            return token;
        }
        assert!(
            Instant::now() < deadline,
            "Roster never signed with the new key"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_example_service_guards_its_route_with_a_permission() {
    with_flags(&["--key-refresh-interval", "1"], |app| {
        let (owner, accountant, viewer) = accountant(app);
        let keys = RemoteKeys::builder(&app.base)
            .refresh_every(Duration::from_millis(200))
            .start()
            .unwrap();
        let service = start_service(keys);

        let first = scoped_token(app, &accountant, "acme");
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

        let refused = invoices(&service, Some(&scoped_token(app, &viewer, "acme")));
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

        // Roster rotates its key: the service accepts tokens of the new key, and still the old.
        let second = rotate_and_wait(app, &accountant, &first);
        let res = invoices(&service, Some(&second));
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(invoices(&service, Some(&first)).status, 200);
    });
}

/// How many times Roster served its JWKS, from its own metrics.
fn jwks_fetches(app: &TestApp) -> u64 {
    let management = Client::new(app.management.as_deref().unwrap());
    let text = management.get("/metrics", None).text;
    text.lines()
        .filter(|l| {
            l.starts_with("roster_http_requests_total{")
                && l.contains("route=\"/.well-known/jwks.json\"")
                && l.contains("status=\"200\"")
        })
        .filter_map(|l| l.rsplit_once(' ')?.1.parse::<u64>().ok())
        .sum()
}

/// A token whose header names a key nobody has (its signature is no longer worth anything).
fn with_kid(token: &str, kid: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let (header, rest) = token.split_once('.').unwrap();
    let mut header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    header["kid"] = json!(kid);
    format!("{}.{rest}", URL_SAFE_NO_PAD.encode(header.to_string()))
}

#[test]
fn a_new_key_is_fetched_at_once_and_forged_kids_cannot_hammer_roster() {
    let flags = [
        "--key-refresh-interval",
        "1",
        "--management-listen",
        "127.0.0.1:0",
    ];
    with_flags(&flags, |app| {
        let (_, accountant, _) = accountant(app);
        let min_refetch = Duration::from_secs(2);
        // No periodic refresh within the test: only an unknown kid can bring the new key.
        let keys = RemoteKeys::builder(&app.base)
            .refresh_every(Duration::from_secs(3600))
            .min_refetch(min_refetch)
            .start()
            .unwrap();
        let service = start_service(keys.clone());
        let first = scoped_token(app, &accountant, "acme");
        assert_eq!(invoices(&service, Some(&first)).status, 200);
        assert_eq!(jwks_fetches(app), 1);

        let second = rotate_and_wait(app, &accountant, &first);
        let res = invoices(&service, Some(&second));
        assert_eq!(
            res.status, 200,
            "the first request with the new key: {}",
            res.text
        );
        assert_eq!(jwks_fetches(app), 2);

        // Made-up kids right after: refused, and no fetch until min_refetch has passed.
        for n in 0..5 {
            let forged = with_kid(&second, &format!("forged-{n}"));
            assert_eq!(invoices(&service, Some(&forged)).status, 401);
            assert!(keys.verify(&forged).is_err());
        }
        assert_eq!(
            jwks_fetches(app),
            2,
            "forged kids are fetched for at most once a while"
        );
        assert_eq!(invoices(&service, Some(&first)).status, 200);
    });
}

#[test]
fn a_service_checks_an_api_key_with_whoami() {
    with_flags(&[], |app| {
        let (owner, accountant, _) = accountant(app);
        let keys = RemoteKeys::fetch(&app.base, "roster").unwrap();
        let (key_id, key) = org_key(app, &owner, "acme", "member", &["invoices:read"]);

        let identity = keys.whoami(&key).unwrap().expect("a valid key");
        assert_eq!(identity.kind, "api_key");
        assert_eq!(
            identity.user.id.to_string(),
            owner.id,
            "the key acts for its maker"
        );
        assert_eq!(identity.organization.as_ref().unwrap().name, "acme");
        assert!(identity.grants("invoices:read"));
        assert!(!identity.grants("invoices:refund"));
        assert!(!identity.grants("members:write"));

        let (_, personal) = personal_key(app, &accountant);
        let account_wide = keys.whoami(&personal).unwrap().unwrap();
        assert!(account_wide.organization.is_none());
        assert!(
            !account_wide.grants("invoices:read"),
            "no organization, no permissions"
        );

        let revoked = app.client.delete(
            &format!("/v1/organizations/acme/api-keys/{key_id}"),
            Some(&owner.token),
        );
        assert!(revoked.status < 300, "{}", revoked.text);
        assert_eq!(
            keys.whoami(&key).unwrap(),
            None,
            "a revoked key is refused at once"
        );
        assert_eq!(keys.whoami("rst_not-a-key").unwrap(), None);
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
