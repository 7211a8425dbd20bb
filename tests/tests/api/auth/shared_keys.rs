//! Several Roster instances on one database sign and verify with the same keys: a token from
//! one instance is good at another, even for a key created after the other started.

use roster_auth::SigningKeyPair;
use roster_store::signing_keys::{self, SigningKeyRow};
use roster_store::{Db, PoolOptions, Ts};
use roster_tests::{spawn_server, unique_email, Backend, Client, TestDb};
use serde_json::json;

#[test]
fn a_token_from_another_instance_verifies_after_a_key_reload() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(db) = TestDb::create(backend) else {
            continue;
        };
        let first = Client::new(&spawn_server(&db.url, &[]));
        let email = unique_email("shared");
        let password = "correct horse battery";
        assert_eq!(
            first
                .post(
                    "/v1/users",
                    None,
                    &json!({"email": email, "password": password})
                )
                .status,
            201
        );

        // A key the first instance has never seen, newest of all: a second instance signs with it.
        let pair = SigningKeyPair::generate().unwrap();
        let row = SigningKeyRow {
            kid: pair.kid.clone(),
            private_key: pair.private_pkcs8_der.clone(),
            public_key: pair.public_key.to_vec(),
            created_at: Ts::now(),
            retired_at: None,
            last_signed_at: None,
        };
        Db::new(&db.url, &PoolOptions::default())
            .unwrap()
            .write(|conn| signing_keys::insert(conn, &row))
            .unwrap();
        let second = Client::new(&spawn_server(&db.url, &[]));
        let tokens = second.post(
            "/v1/auth/token",
            None,
            &json!({"grant_type": "password", "username": email, "password": password}),
        );
        assert_eq!(tokens.status, 200, "{}", tokens.body);
        let access = tokens.body["access_token"].as_str().unwrap();

        let me = first.get("/v1/users/me", Some(access));
        assert_eq!(me.status, 200, "on {backend:?}: {}", me.body);
        assert_eq!(me.body["email"], email.as_str());
        let jwks = first.get("/.well-known/jwks.json", None);
        assert!(
            jwks.text.contains(&pair.kid),
            "the first instance now publishes the new key too"
        );
    }
}
