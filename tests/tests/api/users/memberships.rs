//! The caller's organizations, with the caller's role and permissions in each.

use roster_tests::{backend_tests, TestApp};

fn my_organizations_lists_memberships_with_role_owner(app: &TestApp) {
    let user = app.sign_up("orgs");
    let first = app.create_org(&user, "first-org");
    let second = app.create_org(&user, "second-org");
    let stranger = app.sign_up("stranger");
    app.create_org(&stranger, "strangers-org");

    let res = app
        .client
        .get("/v1/users/me/organizations", Some(&user.token));
    assert_eq!(res.status, 200, "{}", res.text);
    let data = res.body["data"].as_array().unwrap();
    let mut ids: Vec<&str> = data
        .iter()
        .map(|m| m["organization"]["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    let mut expected = vec![
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    ];
    expected.sort_unstable();
    assert_eq!(ids, expected);
    for membership in data {
        assert_eq!(membership["role"], "owner");
        assert!(membership["effective_permissions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "organization:delete"));
    }
    assert_eq!(res.body["meta"]["has_more"], false);
    assert!(res.body["links"]["self"].is_string());

    let stranger_view = app
        .client
        .get("/v1/users/me/organizations", Some(&stranger.token));
    assert_eq!(stranger_view.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        stranger_view.body["data"][0]["organization"]["name"],
        "strangers-org"
    );
}

fn my_organizations_pages_with_a_cursor(app: &TestApp) {
    let user = app.sign_up("pager");
    let first = app.create_org(&user, "page-one");
    let second = app.create_org(&user, "page-two");
    let page1 = app
        .client
        .get("/v1/users/me/organizations?limit=1", Some(&user.token));
    assert_eq!(page1.status, 200, "{}", page1.text);
    assert_eq!(page1.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(page1.body["meta"]["has_more"], true);
    let page2 = app.client.get(
        page1.body["links"]["next"].as_str().unwrap(),
        Some(&user.token),
    );
    assert_eq!(page2.status, 200, "{}", page2.text);
    assert_eq!(page2.body["meta"]["has_more"], false);
    let mut ids = vec![
        page1.body["data"][0]["organization"]["id"].clone(),
        page2.body["data"][0]["organization"]["id"].clone(),
    ];
    ids.sort_by_key(|id| id.as_str().unwrap().to_owned());
    let mut expected = vec![first["id"].clone(), second["id"].clone()];
    expected.sort_by_key(|id| id.as_str().unwrap().to_owned());
    assert_eq!(ids, expected);
}

/// A token scoped to one organization sees that one only, in the list and in its total, as it
/// does on `GET /v1/organizations`.
fn a_scoped_token_lists_its_organization_only(app: &TestApp) {
    let user = app.sign_up("scoped");
    app.create_org(&user, "first-org");
    let second = app.create_org(&user, "second-org");
    app.create_org(&user, "third-org");
    let tokens = app.client.post(
        "/v1/auth/token",
        None,
        &serde_json::json!({"grant_type": "password", "username": user.email,
                            "password": user.password, "organization": "second-org"}),
    );
    assert_eq!(tokens.status, 200, "{}", tokens.text);
    let scoped = tokens.body["access_token"].as_str().unwrap();
    for query in ["", "?include_total=true", "?page=1&per_page=10"] {
        let res = app
            .client
            .get(&format!("/v1/users/me/organizations{query}"), Some(scoped));
        assert_eq!(res.status, 200, "{}", res.text);
        let data = res.body["data"].as_array().unwrap();
        assert_eq!(data.len(), 1, "{query}: {}", res.text);
        assert_eq!(data[0]["organization"]["id"], second["id"]);
        if !query.is_empty() {
            assert_eq!(res.body["meta"]["total"], 1, "{query}");
        }
    }
    let unscoped = app.client.get(
        "/v1/users/me/organizations?include_total=true",
        Some(&user.token),
    );
    assert_eq!(unscoped.body["meta"]["total"], 3);
}

/// An organization API key lists its organization with its own role and what it may do there,
/// never its maker's.
fn an_organization_key_shows_its_own_role(app: &TestApp) {
    let owner = app.sign_up("owner");
    app.create_org(&owner, "first-org");
    app.create_org(&owner, "second-org");
    let made = app.client.post(
        "/v1/organizations/second-org/api-keys",
        Some(&owner.token),
        &serde_json::json!({"name": "viewer key", "role": "viewer", "permissions": ["billing:read"]}),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    let key = made.body["key"].as_str().unwrap();
    let res = app.client.get("/v1/users/me/organizations", Some(key));
    assert_eq!(res.status, 200, "{}", res.text);
    let data = res.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{}", res.text);
    assert_eq!(data[0]["organization"]["name"], "second-org");
    assert_eq!(data[0]["role"], "viewer");
    assert_eq!(data[0]["permissions"], serde_json::json!(["billing:read"]));
    let effective: Vec<&str> = data[0]["effective_permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(effective.contains(&"organization:read"), "{effective:?}");
    assert!(effective.contains(&"billing:read"), "{effective:?}");
    assert!(!effective.contains(&"organization:delete"), "{effective:?}");
    assert!(!effective.contains(&"members:read"), "{effective:?}");
}

backend_tests!(
    a_scoped_token_lists_its_organization_only,
    an_organization_key_shows_its_own_role,
    my_organizations_lists_memberships_with_role_owner,
    my_organizations_pages_with_a_cursor,
);
