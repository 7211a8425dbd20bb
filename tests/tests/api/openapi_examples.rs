//! The OpenAPI document's problem examples are each operation's own and true: a 403 names the
//! permission that operation needs, a 404 the resources its path looks for, a 409 a conflict it
//! can meet; and what the server sends for those refusals is what the document shows.

use roster_tests::{backend_tests, TestApp};
use serde_json::{json, Value};

fn document() -> Value {
    serde_json::from_str(&roster_api::openapi::api_doc_json()).expect("the document is JSON")
}

/// Every operation of the document: `(METHOD path, operation)`.
fn operations(doc: &Value) -> Vec<(String, &Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            all.push((format!("{} {path}", method.to_uppercase()), operation));
        }
    }
    all
}

/// The problem examples an operation documents for `status` (one `example`, or `examples`).
fn examples(operation: &Value, status: u16) -> Vec<Value> {
    let content =
        &operation["responses"][status.to_string()]["content"]["application/problem+json"];
    let mut found: Vec<Value> = content["example"]
        .as_object()
        .map(|_| content["example"].clone())
        .into_iter()
        .collect();
    for example in content["examples"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, e)| e)
    {
        found.push(example["value"].clone());
    }
    found
}

fn details(operation: &Value, status: u16) -> Vec<String> {
    examples(operation, status)
        .iter()
        .map(|e| e["detail"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_403_example_names_the_permission_its_operation_requires() {
    let doc = document();
    for (name, operation) in operations(&doc) {
        let requires = operation["x-roster-requires"].as_str().unwrap();
        let needs: Vec<String> = details(operation, 403)
            .into_iter()
            .filter(|d| d.starts_with("this needs the "))
            .collect();
        match requires.strip_prefix("permission:") {
            Some(permission) => {
                let permission = permission.strip_suffix("|self").unwrap_or(permission);
                let own = format!("this needs the {permission} permission");
                assert!(
                    needs.contains(&own),
                    "{name}: 403 examples {needs:?}, not {own:?}"
                );
                // Closing an organization in a PATCH needs organization:delete too.
                let others: Vec<&String> = needs
                    .iter()
                    .filter(|d| {
                        **d != own
                            && !(name == "PATCH /v1/organizations/{org}"
                                && d.contains("organization:delete"))
                    })
                    .collect();
                assert!(
                    others.is_empty(),
                    "{name} requires {permission}, but its 403 examples say {others:?}"
                );
            }
            // Asking about another user's access to a project needs members:read too.
            None if name == "GET /v1/organizations/{org}/projects/{project}/access/{user_id}" => {
                assert_eq!(needs, ["this needs the members:read permission"], "{name}")
            }
            None => assert!(
                needs.is_empty(),
                "{name} ({requires}) names a permission: {needs:?}"
            ),
        }
    }
}

#[test]
fn a_403_example_of_a_platform_admin_operation_says_so() {
    let doc = document();
    for (name, operation) in operations(&doc) {
        let detail = "this requires a platform admin".to_owned();
        let admin_only = operation["x-roster-requires"] == "platform_admin";
        assert_eq!(
            details(operation, 403).contains(&detail),
            admin_only,
            "{name}"
        );
    }
}

#[test]
fn a_404_example_names_each_resource_its_path_looks_for() {
    let doc = document();
    for (name, operation) in operations(&doc) {
        let found = details(operation, 404);
        let mut expected = Vec::new();
        for (segment, resource) in [
            ("/organizations/{org}", "organization"),
            ("/organizations/{org}/members/{user_id}", "member"),
            ("/teams/{team}", "team"),
            ("/teams/{team}/members/{user_id}", "team member"),
            ("/projects/{project}", "project"),
            ("/roles/{key}", "role"),
            ("/invitations/{id}", "invitation"),
            ("/api-keys/{id}", "API key"),
            ("/users/{id}", "user"),
            ("/webhooks/{id}", "webhook"),
            ("/deliveries/{delivery}", "delivery"),
        ] {
            if name.contains(segment) {
                expected.push(format!("{resource} not found"));
            }
        }
        for resource in &expected {
            assert!(
                found.contains(resource),
                "{name}: 404 examples {found:?} lack {resource:?}"
            );
        }
        if name == "GET /v1/organizations/{org}/projects/{project}/access/{user_id}" {
            // A user_id that is no user id at all.
            expected.push("user not found".to_owned());
        }
        if name == "DELETE /v1/organizations/{org}/projects/{project}/teams/{team}" {
            // The team may exist and hold no grant.
            expected.push("grant not found".to_owned());
        }
        if name == "POST /v1/invitations/accept" || name == "POST /v1/invitations/decline" {
            // Its resource is in the body: an unknown token.
            assert_eq!(found, ["invitation not found"], "{name}");
            continue;
        }
        assert!(
            found.iter().all(|d| expected.contains(d)),
            "{name}: 404 examples {found:?}, but its path looks for {expected:?}"
        );
    }
}

#[test]
fn a_409_example_is_a_conflict_its_operation_can_meet() {
    let doc = document();
    let only_in = |detail: &str, allowed: &[&str]| {
        for (name, operation) in operations(&doc) {
            let has = details(operation, 409).iter().any(|d| d == detail);
            assert_eq!(has, allowed.contains(&name.as_str()), "{name}: {detail:?}");
        }
    };
    only_in(
        "this organization name is taken",
        &["POST /v1/organizations", "PATCH /v1/organizations/{org}"],
    );
    only_in(
        "a user with this email already exists",
        &[
            "POST /v1/users",
            "PATCH /v1/users/me",
            "PATCH /v1/users/{id}",
            "POST /v1/auth/verify-email",
        ],
    );
    only_in(
        "this invitation has been revoked",
        &[
            "POST /v1/invitations/accept",
            "POST /v1/invitations/decline",
            "POST /v1/organizations/{org}/invitations/{id}/resend",
        ],
    );
    only_in(
        "members, API keys or open invitations hold this role; give them another role first",
        &["DELETE /v1/organizations/{org}/roles/{key}"],
    );
    // Every POST that honours Idempotency-Key can meet its own request still running.
    for (name, operation) in operations(&doc) {
        let idempotent = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == "Idempotency-Key");
        let in_flight = details(operation, 409)
            .contains(&"a request with this Idempotency-Key is still in progress".to_owned());
        assert_eq!(idempotent, in_flight, "{name}");
    }
}

/// Each problem example is titled as the server titles its kind: no "Internal server error"
/// on a 410, and the statuses of every example are their response's.
#[test]
fn every_problem_example_has_its_status_and_title() {
    let doc = document();
    for (name, operation) in operations(&doc) {
        for status in operation["responses"].as_object().unwrap().keys() {
            let status: u16 = status.parse().unwrap();
            for example in examples(operation, status) {
                assert_eq!(example["status"], status, "{name} {status}: {example}");
                if status != 500 {
                    assert_ne!(example["title"], "Internal server error", "{name} {status}");
                }
                if status == 404 {
                    assert_ne!(
                        example["detail"], "resource not found",
                        "{name}: an unnamed collection"
                    );
                }
            }
        }
    }
    let accept = &doc["paths"]["/v1/invitations/accept"]["post"];
    assert_eq!(
        examples(accept, 410),
        [
            json!({"type": "https://roster.dev/problems/invitation-expired", "title": "Invitation expired", "status": 410, "detail": "this invitation has expired"})
        ]
    );
}

/// A documented example: the one of `status` in `operation` whose detail is `detail`.
fn documented(doc: &Value, path: &str, method: &str, status: u16, detail: &str) -> Value {
    let operation = &doc["paths"][path][method];
    examples(operation, status)
        .into_iter()
        .find(|e| e["detail"] == detail)
        .unwrap_or_else(|| panic!("{method} {path} documents no {status} {detail:?}"))
}

/// What the server sends for these refusals is exactly what the document shows, and each status
/// is documented where it is met: a stale bearer on a public endpoint, sign-up as an admin,
/// accepting an unknown invitation, a member changing members without the permission.
fn the_server_sends_the_documented_problems(app: &TestApp) {
    let doc = document();
    let owner = app.sign_up("owner");
    let viewer = app.sign_up("viewer");
    let org = app.create_org(&owner, "examples-inc");
    let org_id = org["id"].as_str().unwrap();
    let add = app.client.post(
        &format!("/v1/organizations/{org_id}/members"),
        Some(&owner.token),
        &json!({"user_id": viewer.id, "role": "viewer"}),
    );
    assert_eq!(add.status, 201, "{}", add.body);

    let signup = app.client.post(
        "/v1/users",
        Some(&viewer.token),
        &json!({"email": "boss@example.test", "password": "correct horse battery", "is_admin": true}),
    );
    assert_eq!(signup.status, 403, "{}", signup.body);
    let expected = documented(
        &doc,
        "/v1/users",
        "post",
        403,
        signup.body["detail"].as_str().unwrap(),
    );
    assert_eq!(signup.body, expected);

    let accept = app.client.post(
        "/v1/invitations/accept",
        Some(&viewer.token),
        &json!({"token": "rsi_5Qm0kS3rW8o1V6yZt2Xc9Bn4Hd7Jf0Lg3Pa6Re9Tu1w"}),
    );
    assert_eq!(accept.status, 404, "{}", accept.body);
    assert_eq!(
        accept.body,
        documented(
            &doc,
            "/v1/invitations/accept",
            "post",
            404,
            "invitation not found"
        )
    );

    let path = format!("/v1/organizations/{org_id}/members/{}", owner.id);
    let change = app
        .client
        .patch(&path, Some(&viewer.token), &json!({"role": "viewer"}));
    assert_eq!(change.status, 403, "{}", change.body);
    let needs = "this needs the members:write permission";
    assert_eq!(
        change.body,
        documented(
            &doc,
            "/v1/organizations/{org}/members/{user_id}",
            "patch",
            403,
            needs
        )
    );
    let missing = app.client.get(
        &format!(
            "/v1/organizations/{org_id}/members/{}",
            uuid::Uuid::now_v7()
        ),
        Some(&owner.token),
    );
    assert_eq!(missing.status, 404, "{}", missing.body);
    assert_eq!(
        missing.body,
        documented(
            &doc,
            "/v1/organizations/{org}/members/{user_id}",
            "get",
            404,
            "member not found"
        )
    );

    // Signed out: the access token no longer works, on public endpoints too.
    let revoke = app.client.post(
        "/v1/auth/revoke",
        None,
        &json!({"token": viewer.refresh_token}),
    );
    assert_eq!(revoke.status, 204, "{}", revoke.body);
    let stale = app.client.post(
        "/v1/users",
        Some(&viewer.token),
        &json!({"email": "someone@example.test", "password": "correct horse battery"}),
    );
    assert_eq!(stale.status, 401, "{}", stale.body);
    assert_eq!(
        stale.body,
        documented(
            &doc,
            "/v1/users",
            "post",
            401,
            "this session has been signed out"
        )
    );
}

backend_tests!(the_server_sends_the_documented_problems);
