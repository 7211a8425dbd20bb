//! Tokens scoped to an organization: the claims they carry, and who may ask for them.

use roster_tests::problem::{assert_invalid_grant, assert_invalid_request};
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

/// Unknown and not-a-member organizations look alike: the grant does not hold.
fn scoping_to_an_organization_of_others_is_an_invalid_grant(app: &TestApp) {
    let owner = app.sign_up("owner");
    app.create_org(&owner, "not-yours");
    let outsider = app.sign_up("outsider");
    for organization in ["not-yours", "does-not-exist"] {
        let res = token(
            app,
            &json!({"grant_type": "password", "username": outsider.email,
                    "password": outsider.password, "organization": organization}),
        );
        assert_invalid_grant(&res);
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
    assert_invalid_request(&res, "organization");
}

/// A token asked for with `organization` acts in that organization only.
fn a_scoped_token_acts_in_its_organization_only(app: &TestApp) {
    let user = app.sign_up("scoped");
    app.create_org(&user, "inside");
    app.create_org(&user, "outside");
    let scoped = token(
        app,
        &json!({"grant_type": "password", "username": user.email, "password": user.password,
                "organization": "inside"}),
    );
    assert_eq!(scoped.status, 200, "{}", scoped.text);
    let bearer = scoped.body["access_token"].as_str().unwrap();

    assert_eq!(
        app.client
            .get("/v1/organizations/inside", Some(bearer))
            .status,
        200
    );
    let patched = app.client.patch(
        "/v1/organizations/inside",
        Some(bearer),
        &json!({"description": "ok"}),
    );
    assert_eq!(patched.status, 200, "{}", patched.text);
    let outside = app.client.get("/v1/organizations/outside", Some(bearer));
    assert_eq!(
        outside.status, 404,
        "another organization is invisible to a scoped token"
    );
    let delete = app.client.delete(
        "/v1/organizations/outside?force=true&confirm=outside",
        Some(bearer),
    );
    assert_eq!(delete.status, 404);
    let listed = app.client.get("/v1/organizations", Some(bearer));
    let names: Vec<_> = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].clone())
        .collect();
    assert_eq!(names, [json!("inside")]);

    // Account-wide actions need an unscoped token.
    let create = app
        .client
        .post("/v1/organizations", Some(bearer), &json!({"name": "third"}));
    assert_eq!(create.status, 403, "{}", create.text);
    let profile = app
        .client
        .patch("/v1/users/me", Some(bearer), &json!({"name": "Mallory"}));
    assert_eq!(profile.status, 403, "{}", profile.text);
    let password = app.client.post(
        "/v1/users/me/password",
        Some(bearer),
        &json!({"current_password": user.password, "new_password": "another long one"}),
    );
    assert_eq!(password.status, 403, "{}", password.text);
    // The unscoped token still does all of it.
    assert_eq!(
        app.client
            .get("/v1/organizations/outside", Some(&user.token))
            .status,
        200
    );
}

backend_tests!(
    a_scoped_token_acts_in_its_organization_only,
    organization_scoped_token_carries_org_claims,
    scoping_to_an_organization_of_others_is_an_invalid_grant,
    refresh_cannot_change_the_organization,
);
