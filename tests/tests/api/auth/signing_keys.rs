//! The keys that sign access tokens: encrypted at rest with a key-encryption key, rotated by
//! `roster keys rotate` (new tokens use the new key, the old one verifies until the tokens it
//! signed have expired), then retired.

use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use roster_api::{Application, ServeArgs};
use roster_auth::{is_sealed, KeyEncryptionKey};
use roster_core::keys::{self, KeySettings, KeyState};
use roster_store::diesel::prelude::*;
use roster_store::schema::signing_keys;
use roster_store::signing_keys::SigningKeyRow;
use roster_tests::{spawn_server, with_flags, Client, TestApp, TestUser};
use serde_json::Value;

use crate::support::stored::db;

fn stored_keys(app: &TestApp) -> Vec<SigningKeyRow> {
    db(app).read(roster_store::signing_keys::all).unwrap()
}

/// The `kid` in an access token's header.
fn kid_of(token: &str) -> String {
    let header = token.split('.').next().unwrap();
    let json: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    json["kid"].as_str().unwrap().to_owned()
}

fn jwks_kids(client: &Client) -> Vec<String> {
    let mut kids: Vec<String> = client.get("/.well-known/jwks.json", None).body["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["kid"].as_str().unwrap().to_owned())
        .collect();
    kids.sort();
    kids
}

/// Waits up to ten seconds for `done` (the server refreshes its keys every second here).
fn eventually(what: &str, done: impl Fn() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never happened: {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Tries to start Roster with `flags` on `url`; the error it refuses to start with, if any.
fn start_error(url: &str, flags: &[&str]) -> Option<String> {
    let mut all = vec!["--database-url", url, "--listen", "127.0.0.1:0"];
    all.extend_from_slice(flags);
    let args = ServeArgs::from_flags(&all).unwrap();
    actix_web::rt::System::new()
        .block_on(async move { Application::build(args).err().map(|e| e.to_string()) })
}

#[test]
fn signing_keys_are_encrypted_at_rest() {
    let kek = KeyEncryptionKey::generate().to_base64();
    with_flags(&["--key-encryption-key", &kek], |app| {
        let ada = app.sign_up("ada");
        assert_eq!(app.client.get("/v1/users/me", Some(&ada.token)).status, 200);
        let stored = stored_keys(app);
        assert_eq!(stored.len(), 1);
        assert!(is_sealed(&stored[0].private_key));
        assert!(
            roster_auth::SigningKeyPair::from_parts(
                stored[0].kid.clone(),
                stored[0].private_key.clone(),
                stored[0].public_key.clone().try_into().unwrap()
            )
            .is_err(),
            "the stored bytes are no usable key"
        );
        assert_eq!(kid_of(&ada.token), stored[0].kid);
    });
}

/// Keys made before the key-encryption key was configured are encrypted at the next start;
/// tokens they signed go on working; and from then on Roster needs that key to start.
#[test]
fn plaintext_keys_are_encrypted_when_a_key_encryption_key_arrives() {
    with_flags(&[], |app| {
        let ada = app.sign_up("ada");
        assert!(!is_sealed(&stored_keys(app)[0].private_key));
        let kek = KeyEncryptionKey::generate().to_base64();
        let encrypted = Client::new(&spawn_server(&app.db.url, &["--key-encryption-key", &kek]));
        assert!(stored_keys(app)
            .iter()
            .all(|row| is_sealed(&row.private_key)));
        assert_eq!(encrypted.get("/v1/users/me", Some(&ada.token)).status, 200);

        let without = start_error(&app.db.url, &[]).expect("refuses to start without the key");
        assert!(without.contains("ROSTER_KEY_ENCRYPTION_KEY"), "{without}");
        let other = KeyEncryptionKey::generate().to_base64();
        let wrong = start_error(&app.db.url, &["--key-encryption-key", &other])
            .expect("refuses to start with another key");
        assert!(wrong.contains("does not decrypt"), "{wrong}");
        let garbage = ServeArgs::from_flags(&["--key-encryption-key", "c2hvcnQ="]);
        assert!(
            garbage.is_err(),
            "a key of the wrong length is refused at parse time"
        );
    });
}

#[test]
fn a_rotated_key_signs_new_tokens_and_the_old_one_verifies_until_retired() {
    let flags = ["--key-refresh-interval", "1", "--access-token-ttl", "60"];
    with_flags(&flags, |app| {
        let ada = app.sign_up("ada");
        let old_kid = kid_of(&ada.token);
        let new_kid = keys::rotate(&db(app), None).unwrap();
        assert_ne!(new_kid, old_kid);

        // Within a refresh interval the server signs with the new key and publishes both.
        eventually("new sign-ins use the new key", || {
            kid_of(
                app.login(&ada.email, &ada.password)["access_token"]
                    .as_str()
                    .unwrap(),
            ) == new_kid
        });
        let mut both = vec![old_kid.clone(), new_kid.clone()];
        both.sort();
        assert_eq!(jwks_kids(&app.client), both);
        assert_eq!(
            app.client.get("/v1/users/me", Some(&ada.token)).status,
            200,
            "a token signed by the old key still verifies"
        );
        let settings = KeySettings {
            issuer: "roster".into(),
            access_token_ttl: Duration::from_secs(60),
            refresh_interval: Duration::from_secs(1),
            encryption_key: None,
        };
        let listed = keys::list(&db(app), &settings).unwrap();
        assert_eq!(listed[0].kid, new_kid);
        assert_eq!(listed[0].state, KeyState::Signing);
        assert!(
            matches!(listed[1].state, KeyState::Verifying { .. }),
            "{listed:?}"
        );

        // Once a token lifetime (and a refresh) has passed since the rotation, the old key
        // retires: it leaves the JWKS, its private half is erased, its tokens are refused.
        age_keys(app, 62);
        eventually("the old key retires", || {
            jwks_kids(&app.client) == vec![new_kid.clone()]
        });
        let listed = keys::list(&db(app), &settings).unwrap();
        assert!(
            matches!(listed[1].state, KeyState::Retired { .. }),
            "{listed:?}"
        );
        let old = stored_keys(app)
            .into_iter()
            .find(|k| k.kid == old_kid)
            .unwrap();
        assert!(old.private_key.is_empty());
        let refused = app.client.get("/v1/users/me", Some(&ada.token));
        assert_eq!(refused.status, 401, "{}", refused.text);
    });
}

#[test]
fn rotating_encrypted_keys_needs_the_key_encryption_key() {
    let kek_text = KeyEncryptionKey::generate().to_base64();
    with_flags(&["--key-encryption-key", &kek_text], |app| {
        assert!(keys::rotate(&db(app), None).is_err());
        let kek: KeyEncryptionKey = kek_text.parse().unwrap();
        let kid = keys::rotate(&db(app), Some(&kek)).unwrap();
        let stored = stored_keys(app);
        assert!(stored
            .iter()
            .any(|k| k.kid == kid && is_sealed(&k.private_key)));
        let _: &TestUser = &app.sign_up("still-works");
    });
}

/// Moves every key's creation (and when it last signed) `seconds` into the past, as if that
/// much time had gone by.
fn age_keys(app: &TestApp, seconds: i64) {
    let earlier = |at: roster_store::Ts| {
        roster_store::Ts::from_datetime(at.0 - chrono::Duration::seconds(seconds))
    };
    db(app)
        .write(|conn| {
            for row in roster_store::signing_keys::all(conn)? {
                roster_store::diesel::update(signing_keys::table.find(&row.kid))
                    .set((
                        signing_keys::created_at.eq(earlier(row.created_at)),
                        signing_keys::last_signed_at.eq(row.last_signed_at.map(earlier)),
                    ))
                    .execute(conn)?;
            }
            Ok::<_, roster_store::StoreError>(())
        })
        .unwrap();
}

/// A key-encryption key that does not open the signing keys is refused: the running servers
/// could not read a key sealed with it.
#[test]
fn rotating_with_another_key_encryption_key_is_refused() {
    let kek_text = KeyEncryptionKey::generate().to_base64();
    with_flags(&["--key-encryption-key", &kek_text], |app| {
        let before = stored_keys(app).len();
        let other = KeyEncryptionKey::generate();
        let refused = keys::rotate(&db(app), Some(&other))
            .unwrap_err()
            .to_string();
        assert!(refused.contains("does not open"), "{refused}");
        assert_eq!(stored_keys(app).len(), before, "no key added");
        let kek: KeyEncryptionKey = kek_text.parse().unwrap();
        let kid = keys::rotate(&db(app), Some(&kek)).unwrap();
        let events = crate::support::events::stored_events(app);
        assert!(
            events
                .iter()
                .any(|e| e.kind == "signing_key.rotated" && e.target_id == kid),
            "the rotation is in the audit log"
        );
    });
}

/// An instance that cannot load the newest key (here one sealed with a key it does not have,
/// as a rotation with the wrong key used to make) goes on signing with the key it has, and that
/// key is not retired under it, however long ago the newer key was made.
#[test]
fn an_instance_never_loses_the_key_it_signs_with() {
    let kek_text = KeyEncryptionKey::generate().to_base64();
    let flags = [
        "--key-encryption-key",
        &kek_text,
        "--key-refresh-interval",
        "1",
        "--access-token-ttl",
        "60",
    ];
    with_flags(&flags, |app| {
        let ada = app.sign_up("ada");
        let signing = kid_of(&ada.token);
        let pair = roster_auth::SigningKeyPair::generate().unwrap();
        let foreign = KeyEncryptionKey::generate();
        let unreadable = SigningKeyRow {
            kid: pair.kid.clone(),
            private_key: foreign
                .seal(&pair.private_pkcs8_der, pair.kid.as_bytes())
                .unwrap(),
            public_key: pair.public_key.to_vec(),
            created_at: roster_store::Ts::now(),
            retired_at: None,
            last_signed_at: None,
        };
        db(app)
            .write(|conn| roster_store::signing_keys::insert(conn, &unreadable))
            .unwrap();
        age_keys(app, 120);
        // Three refreshes later the instance still signs with its key, which still verifies.
        std::thread::sleep(Duration::from_secs(3));
        let kept = stored_keys(app)
            .into_iter()
            .find(|k| k.kid == signing)
            .unwrap();
        assert_eq!(kept.retired_at, None, "the key it signs with was retired");
        let fresh = app.login(&ada.email, &ada.password);
        let token = fresh["access_token"].as_str().unwrap();
        assert_eq!(kid_of(token), signing);
        assert_eq!(app.client.get("/v1/users/me", Some(token)).status, 200);
    });
}
