//! No secret reaches the audit log: not a password, a token, or a password's hash.

use roster_tests::with_admin;
use serde_json::json;

use crate::support::events::all_events;
use crate::support::stored::stored_user;
use crate::support::token_endpoint::refresh;

#[test]
fn no_password_token_or_hash_is_ever_in_an_event() {
    with_admin(&[], |app, admin| {
        let ada = app.sign_up("ada");
        let rotated = refresh(app, &ada.refresh_token);
        assert_eq!(rotated.status, 200);
        let new_password = "the new secret passphrase";
        let res = app.client.post(
            "/v1/users/me/password",
            Some(&ada.token),
            &json!({"current_password": ada.password, "new_password": new_password}),
        );
        assert_eq!(res.status, 204);
        let res = app.client.post(
            "/v1/auth/revoke",
            None,
            &json!({"token": rotated.body["refresh_token"]}),
        );
        assert_eq!(res.status, 204);
        let created = app.client.post(
            "/v1/users",
            Some(&admin.token),
            &json!({"email": "grace@example.test", "password": "grace's own secret"}),
        );
        assert_eq!(created.status, 201);

        let log = serde_json::to_string(&all_events(app, admin, "/v1/events")).unwrap();
        let hash = stored_user(app, &ada.email).password_hash.unwrap();
        let secrets = [
            ada.password.as_str(),
            new_password,
            "grace's own secret",
            ada.token.as_str(),
            ada.refresh_token.as_str(),
            rotated.body["access_token"].as_str().unwrap(),
            rotated.body["refresh_token"].as_str().unwrap(),
            hash.as_str(),
            "argon2",
            "rrt_",
        ];
        for secret in secrets {
            assert!(!log.contains(secret), "{secret:?} is in the audit log");
        }
        assert!(log.contains("user.password_changed"));
    });
}
