//! Managing endpoints: the secret shown once, versions, validation, and where messages may go.

use roster_tests::with_admin;
use serde_json::json;

use super::create;

#[test]
fn an_endpoint_is_created_read_changed_and_deleted() {
    with_admin(&[], |app, admin| {
        let made = create(
            app,
            admin,
            json!({"url": "https://93.184.215.14/hooks", "description": "billing",
                   "event_types": ["membership.*", "organization.created"], "enabled": false}),
        );
        let secret = made["secret"].as_str().unwrap();
        assert!(secret.starts_with("whsec_"), "{secret}");
        assert!(roster_webhooks::Secret::parse(secret).is_ok());
        assert_eq!(made["disabled_reason"], "manual");
        let path = format!("/v1/webhooks/{}", made["id"].as_str().unwrap());
        let read = app.client.get(&path, Some(&admin.token));
        assert_eq!(read.status, 200);
        assert!(
            read.body.get("secret").is_none(),
            "the secret is shown once"
        );
        assert_eq!(
            read.body["event_types"],
            json!(["membership.*", "organization.created"])
        );
        let etag = read.header("etag").unwrap().to_owned();

        let changed = app.client.patch(
            &path,
            Some(&admin.token),
            &json!({"enabled": true, "description": null}),
        );
        assert_eq!(changed.status, 200, "{}", changed.text);
        assert_eq!(changed.body["enabled"], true);
        assert_eq!(changed.body["disabled_reason"], json!(null));
        assert_eq!(changed.body["description"], json!(null));
        let stale = app.client.send_with(
            "PATCH",
            &path,
            Some(&admin.token),
            &[("If-Match", &etag)],
            Some(&json!({"enabled": false})),
        );
        assert_eq!(stale.status, 412, "{}", stale.text);

        let listed = app.client.get("/v1/webhooks", Some(&admin.token));
        assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
        assert_eq!(app.client.delete(&path, Some(&admin.token)).status, 204);
        assert_eq!(app.client.get(&path, Some(&admin.token)).status, 404);

        let types: Vec<String> = crate::support::events::stored_events(app)
            .into_iter()
            .filter(|e| e.kind.starts_with("webhook."))
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            types,
            ["webhook.created", "webhook.updated", "webhook.deleted"]
        );
    });
}

#[test]
fn only_public_https_targets_are_accepted() {
    with_admin(&[], |app, admin| {
        for url in [
            "http://93.184.215.14/hooks",
            "https://127.0.0.1/hooks",
            "https://[::1]/hooks",
            "https://localhost:8443/hooks",
            "https://10.1.2.3/hooks",
            "https://192.168.0.10/hooks",
            "https://169.254.169.254/latest/meta-data",
            "https://[fd00::1]/hooks",
            "https://[::ffff:127.0.0.1]/hooks",
            "https://user:pass@93.184.215.14/hooks",
            "ftp://93.184.215.14/",
            "not a url",
        ] {
            let res = app
                .client
                .post("/v1/webhooks", Some(&admin.token), &json!({"url": url}));
            assert_eq!(res.status, 422, "{url}: {}", res.text);
            assert_eq!(res.body["errors"][0]["field"], "url", "{url}: {}", res.text);
        }
        let made = create(
            app,
            admin,
            json!({"url": "https://93.184.215.14/hooks", "enabled": false}),
        );
        let path = format!("/v1/webhooks/{}", made["id"].as_str().unwrap());
        let res = app.client.patch(
            &path,
            Some(&admin.token),
            &json!({"url": "https://127.0.0.1/x"}),
        );
        assert_eq!(res.status, 422, "{}", res.text);
    });
}

#[test]
fn bad_fields_are_named() {
    with_admin(&[], |app, admin| {
        let res = app.client.post(
            "/v1/webhooks",
            Some(&admin.token),
            &json!({"url": "https://93.184.215.14/", "event_types": ["Membership.Created"],
                    "description": "x".repeat(501)}),
        );
        assert_eq!(res.status, 422, "{}", res.text);
        let fields: Vec<&str> = res.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["description", "event_types[0]"]);
        let res = app.client.post(
            "/v1/webhooks",
            Some(&admin.token),
            &json!({"url": "https://93.184.215.14/", "organization_id": uuid::Uuid::now_v7()}),
        );
        assert_eq!(res.status, 422, "{}", res.text);
        assert_eq!(res.body["errors"][0]["field"], "organization_id");
    });
}

/// Secrets are sealed at rest with the key-encryption key: the database alone cannot sign.
#[test]
fn secrets_are_sealed_at_rest_and_kept_out_of_the_log() {
    let kek = roster_auth::KeyEncryptionKey::generate().to_base64();
    with_admin(&["--key-encryption-key", &kek], |app, admin| {
        let made = create(
            app,
            admin,
            json!({"url": "https://93.184.215.14/", "enabled": false}),
        );
        let secret = roster_webhooks::Secret::parse(made["secret"].as_str().unwrap()).unwrap();
        let id = roster_domain::WebhookId::parse(made["id"].as_str().unwrap()).unwrap();
        let row = crate::support::stored::db(app)
            .read(|conn| roster_store::webhooks::find_endpoint(conn, id))
            .unwrap()
            .unwrap();
        assert!(roster_auth::is_sealed(&row.secret));
        assert!(
            !row.secret
                .windows(secret.as_bytes().len())
                .any(|w| w == secret.as_bytes()),
            "the secret's bytes are not stored as they are"
        );
        let rotated = app.client.post(
            &format!("/v1/webhooks/{id}/rotate-secret"),
            Some(&admin.token),
            &json!({}),
        );
        assert_eq!(rotated.status, 200, "{}", rotated.text);
        for event in crate::support::events::stored_events(app) {
            let text = event.data.0.to_string();
            assert!(!text.contains("whsec_"), "{}: {text}", event.kind);
        }
    });
}
