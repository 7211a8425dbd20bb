//! Tokens scoped to an organization: the claims they carry, and who may ask for them.

use roster_tests::problem::assert_only_field_error;
use roster_tests::{backend_tests, TestApp};
use serde_json::json;

use crate::support::token_endpoint::{refresh, token, verify_with_jwks};

fn organization_scoped_token_carries_org_claims(app: &TestApp) {
    let user = app.sign_up("scoped");
    let org = app.create_org(&user, "scoped-inc");
    let by_name = token(
        app,
        &json!({"grant_type": "password", "username": user.email, "password": user.password,
                "organization": "scoped-inc"}),
    );
    assert_eq!(by_name.status, 200, "{}", by_name.text);
    let claims = verify_with_jwks(app, by_name.body["access_token"].as_str().unwrap());
    assert_eq!(
        claims.org_id.map(|id| id.to_string()),
        org["id"].as_str().map(str::to_owned)
    );
    assert_eq!(claims.org_role.as_deref(), Some("owner"));
    let permissions = claims.org_permissions.unwrap_or_default();
    for expected in ["organization:delete", "members:write", "api_keys:write"] {
        assert!(permissions.iter().any(|p| p == expected), "{permissions:?}");
    }

    // By id it is the same organization, and a refresh keeps the scope.
    let by_id = token(
        app,
        &json!({"grant_type": "password", "username": user.email, "password": user.password,
                "organization": org["id"]}),
    );
    assert_eq!(by_id.status, 200, "{}", by_id.text);
    let refreshed = refresh(app, by_id.body["refresh_token"].as_str().unwrap());
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    let claims = verify_with_jwks(app, refreshed.body["access_token"].as_str().unwrap());
    assert_eq!(
        claims.org_id.map(|id| id.to_string()).as_deref(),
        org["id"].as_str()
    );
    assert_eq!(claims.org_role.as_deref(), Some("owner"));
}

fn scoping_to_an_organization_of_others_is_a_422(app: &TestApp) {
    let owner = app.sign_up("owner");
    app.create_org(&owner, "not-yours");
    let outsider = app.sign_up("outsider");
    for organization in ["not-yours", "does-not-exist"] {
        let res = token(
            app,
            &json!({"grant_type": "password", "username": outsider.email,
                    "password": outsider.password, "organization": organization}),
        );
        assert_only_field_error(&res, "organization");
    }
}

fn refresh_cannot_change_the_organization(app: &TestApp) {
    let user = app.sign_up("rescope");
    app.create_org(&user, "rescope-inc");
    let res = token(
        app,
        &json!({"grant_type": "refresh_token", "refresh_token": user.refresh_token,
                "organization": "rescope-inc"}),
    );
    assert_only_field_error(&res, "organization");
}

backend_tests!(
    organization_scoped_token_carries_org_claims,
    scoping_to_an_organization_of_others_is_a_422,
    refresh_cannot_change_the_organization,
);
