//! The OpenAPI document: the committed `openapi/openapi.json` is current, the server serves
//! the same document and Swagger UI, and the document describes the whole API.

use std::path::PathBuf;

use roster_tests::{backend_tests, TestApp};
use serde_json::Value;

const REGENERATE: &str = "cargo run -p roster-api -- openapi > openapi/openapi.json";

/// The operations the API has; each must be documented.
/// Every operation of API.md that Roster serves: its operationId, method and path. The
/// document must hold exactly these: one added or lost shows up here.
const OPERATIONS: &[(&str, &str)] = &[
    ("get_jwks", "GET /.well-known/jwks.json"),
    ("healthz", "GET /healthz"),
    ("readyz", "GET /readyz"),
    ("revoke_token", "POST /v1/auth/revoke"),
    ("create_token", "POST /v1/auth/token"),
    ("whoami", "GET /v1/auth/whoami"),
    ("verify_email", "POST /v1/auth/verify-email"),
    ("request_password_reset", "POST /v1/auth/password-reset"),
    (
        "confirm_password_reset",
        "POST /v1/auth/password-reset/confirm",
    ),
    ("resend_verification", "POST /v1/users/me/verify-email"),
    ("delete_me", "DELETE /v1/users/me"),
    ("delete_user", "DELETE /v1/users/{id}"),
    ("set_password", "PUT /v1/users/{id}/password"),
    (
        "resend_invitation",
        "POST /v1/organizations/{org}/invitations/{id}/resend",
    ),
    ("decline_invitation", "POST /v1/invitations/decline"),
    ("list_events", "GET /v1/events"),
    ("create_webhook", "POST /v1/webhooks"),
    ("list_webhooks", "GET /v1/webhooks"),
    ("get_webhook", "GET /v1/webhooks/{id}"),
    ("update_webhook", "PATCH /v1/webhooks/{id}"),
    ("delete_webhook", "DELETE /v1/webhooks/{id}"),
    (
        "rotate_webhook_secret",
        "POST /v1/webhooks/{id}/rotate-secret",
    ),
    ("send_webhook_test", "POST /v1/webhooks/{id}/test"),
    (
        "list_webhook_deliveries",
        "GET /v1/webhooks/{id}/deliveries",
    ),
    (
        "list_delivery_attempts",
        "GET /v1/webhooks/{id}/deliveries/{delivery}/attempts",
    ),
    (
        "retry_webhook_delivery",
        "POST /v1/webhooks/{id}/deliveries/{delivery}/retry",
    ),
    ("accept_invitation", "POST /v1/invitations/accept"),
    ("list_organizations", "GET /v1/organizations"),
    ("create_organization", "POST /v1/organizations"),
    ("get_organization", "GET /v1/organizations/{org}"),
    ("delete_organization", "DELETE /v1/organizations/{org}"),
    ("update_organization", "PATCH /v1/organizations/{org}"),
    (
        "list_organization_keys",
        "GET /v1/organizations/{org}/api-keys",
    ),
    (
        "create_organization_key",
        "POST /v1/organizations/{org}/api-keys",
    ),
    (
        "revoke_organization_key",
        "DELETE /v1/organizations/{org}/api-keys/{id}",
    ),
    ("authorize", "POST /v1/organizations/{org}/authorize"),
    (
        "list_organization_events",
        "GET /v1/organizations/{org}/events",
    ),
    (
        "list_invitations",
        "GET /v1/organizations/{org}/invitations",
    ),
    (
        "create_invitation",
        "POST /v1/organizations/{org}/invitations",
    ),
    (
        "revoke_invitation",
        "DELETE /v1/organizations/{org}/invitations/{id}",
    ),
    ("list_members", "GET /v1/organizations/{org}/members"),
    ("add_member", "POST /v1/organizations/{org}/members"),
    (
        "get_member",
        "GET /v1/organizations/{org}/members/{user_id}",
    ),
    (
        "remove_member",
        "DELETE /v1/organizations/{org}/members/{user_id}",
    ),
    (
        "update_member",
        "PATCH /v1/organizations/{org}/members/{user_id}",
    ),
    (
        "member_permissions",
        "GET /v1/organizations/{org}/members/{user_id}/permissions",
    ),
    ("list_roles", "GET /v1/organizations/{org}/roles"),
    ("create_role", "POST /v1/organizations/{org}/roles"),
    ("get_role", "GET /v1/organizations/{org}/roles/{key}"),
    ("delete_role", "DELETE /v1/organizations/{org}/roles/{key}"),
    ("update_role", "PATCH /v1/organizations/{org}/roles/{key}"),
    ("list_teams", "GET /v1/organizations/{org}/teams"),
    ("create_team", "POST /v1/organizations/{org}/teams"),
    ("get_team", "GET /v1/organizations/{org}/teams/{team}"),
    ("update_team", "PATCH /v1/organizations/{org}/teams/{team}"),
    ("delete_team", "DELETE /v1/organizations/{org}/teams/{team}"),
    (
        "list_team_members",
        "GET /v1/organizations/{org}/teams/{team}/members",
    ),
    (
        "add_team_member",
        "POST /v1/organizations/{org}/teams/{team}/members",
    ),
    (
        "update_team_member",
        "PATCH /v1/organizations/{org}/teams/{team}/members/{user_id}",
    ),
    (
        "remove_team_member",
        "DELETE /v1/organizations/{org}/teams/{team}/members/{user_id}",
    ),
    (
        "list_team_grants",
        "GET /v1/organizations/{org}/teams/{team}/projects",
    ),
    ("list_projects", "GET /v1/organizations/{org}/projects"),
    ("create_project", "POST /v1/organizations/{org}/projects"),
    (
        "get_project",
        "GET /v1/organizations/{org}/projects/{project}",
    ),
    (
        "update_project",
        "PATCH /v1/organizations/{org}/projects/{project}",
    ),
    (
        "delete_project",
        "DELETE /v1/organizations/{org}/projects/{project}",
    ),
    (
        "list_project_grants",
        "GET /v1/organizations/{org}/projects/{project}/teams",
    ),
    (
        "put_grant",
        "PUT /v1/organizations/{org}/projects/{project}/teams/{team}",
    ),
    (
        "delete_grant",
        "DELETE /v1/organizations/{org}/projects/{project}/teams/{team}",
    ),
    (
        "project_access",
        "GET /v1/organizations/{org}/projects/{project}/access/{user_id}",
    ),
    (
        "transfer_ownership",
        "POST /v1/organizations/{org}/transfer-ownership",
    ),
    ("get_usage", "GET /v1/organizations/{org}/usage"),
    ("list_users", "GET /v1/users"),
    ("create_user", "POST /v1/users"),
    ("get_me", "GET /v1/users/me"),
    ("update_me", "PATCH /v1/users/me"),
    ("list_personal_keys", "GET /v1/users/me/api-keys"),
    ("create_personal_key", "POST /v1/users/me/api-keys"),
    ("revoke_personal_key", "DELETE /v1/users/me/api-keys/{id}"),
    ("list_my_invitations", "GET /v1/users/me/invitations"),
    ("list_my_organizations", "GET /v1/users/me/organizations"),
    ("change_password", "POST /v1/users/me/password"),
    ("get_user", "GET /v1/users/{id}"),
    ("update_user", "PATCH /v1/users/{id}"),
    (
        "list_user_organizations",
        "GET /v1/users/{id}/organizations",
    ),
];

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("openapi")
        .join("openapi.json")
}

fn generated() -> Value {
    serde_json::from_str(&roster_api::openapi::api_doc_json()).expect("the document is JSON")
}

#[test]
fn committed_openapi_json_is_current() {
    let path = committed_path();
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}\nGenerate it from the workspace root with:\n  {REGENERATE}",
            path.display()
        )
    });
    let current = roster_api::openapi::api_doc_json();
    if committed != current {
        let first_difference = committed
            .lines()
            .zip(current.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map(|(n, (a, b))| {
                format!(
                    "first difference at line {}:\n  committed: {a}\n  current:   {b}",
                    n + 1
                )
            })
            .unwrap_or_else(|| {
                format!(
                    "the committed file has {} lines, the current document {}",
                    committed.lines().count(),
                    current.lines().count()
                )
            });
        panic!(
            "{} is out of date with the handlers ({first_difference}).\n\
             Regenerate it from the workspace root with:\n  {REGENERATE}",
            path.display()
        );
    }
}

#[test]
fn openapi_has_bearer_and_oauth2_password_security_schemes() {
    let doc = generated();
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["type"], "http", "{schemes:#}");
    assert_eq!(schemes["bearer"]["scheme"], "bearer", "{schemes:#}");
    assert_eq!(schemes["oauth2"]["type"], "oauth2", "{schemes:#}");
    assert_eq!(
        schemes["oauth2"]["flows"]["password"]["tokenUrl"], "/v1/auth/token",
        "{schemes:#}"
    );
}

#[test]
fn openapi_documents_every_operation() {
    let doc = generated();
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                documented.push((id.to_owned(), format!("{} {path}", method.to_uppercase())));
            }
        }
    }
    let mut expected: Vec<(String, String)> = OPERATIONS
        .iter()
        .map(|(id, route)| ((*id).to_owned(), (*route).to_owned()))
        .collect();
    expected.sort();
    let mut served = documented.clone();
    served.sort();
    assert_eq!(served, expected, "the document's operations");
    let mut ids: Vec<&String> = documented.iter().map(|(id, _)| id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        documented.len(),
        "duplicate operationIds: {documented:#?}"
    );
}

/// The requirement table: every operation of the served document says who may call it
/// (`x-roster-requires`, a line people read in Swagger UI, a security to match), and each
/// requirement is one the core knows.
fn every_operation_shows_its_requirement(app: &TestApp) {
    let res = app.client.get("/openapi.json", None);
    let doc: utoipa::openapi::OpenApi = serde_json::from_str(&res.text).unwrap();
    assert_eq!(
        roster_api::openapi::undeclared_operations(&doc),
        Vec::<String>::new()
    );
    let served: Value = serde_json::from_str(&res.text).unwrap();
    let permission = |p: &str| roster_domain::Permission::parse(p).is_some();
    // `project:<level>|permission:<p>` and `team_maintainer|permission:<p>[|self]`.
    let resource = |requirement: &str| {
        let (scope, rest) = requirement.split_once("|permission:").unwrap_or_default();
        let scope_known = scope == "team_maintainer"
            || scope
                .strip_prefix("project:")
                .is_some_and(|level| ["reader", "writer", "owner"].contains(&level));
        scope_known && permission(rest.strip_suffix("|self").unwrap_or(rest))
    };
    let known = |requirement: &str| {
        resource(requirement)
            || [
                "public",
                "signed_in",
                "account",
                "user_session",
                "owner",
                "platform_admin",
            ]
            .contains(&requirement)
            || requirement
                .strip_prefix("permission:")
                .map(|p| p.strip_suffix("|self").unwrap_or(p))
                .is_some_and(permission)
    };
    let mut seen = Vec::new();
    for (path, item) in served["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let requirement = operation["x-roster-requires"].as_str().unwrap_or_default();
            assert!(known(requirement), "{method} {path}: {requirement:?}");
            seen.push((operation["operationId"].clone(), requirement.to_owned()));
        }
    }
    for (id, expected) in [
        ("create_token", "public"),
        ("get_me", "signed_in"),
        ("update_me", "user_session"),
        ("remove_member", "permission:members:write|self"),
        ("transfer_ownership", "owner"),
        ("list_users", "platform_admin"),
        ("update_organization", "permission:organization:update"),
        ("list_organization_events", "permission:events:read"),
    ] {
        assert!(
            seen.iter().any(|(op, req)| op == id && req == expected),
            "{id} should require {expected}: {seen:?}"
        );
    }
}

/// People read the schemas in Swagger UI: each schema and each property says what it is, and
/// each integer has an example (without one, Swagger UI shows 9007199254740991 for an int64).
#[test]
fn every_schema_and_property_is_described_and_integers_have_examples() {
    let doc = generated();
    let mut undescribed = Vec::new();
    let mut no_example = Vec::new();
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if !schema["description"].is_string() {
            undescribed.push(name.clone());
        }
        for (property, value) in schema["properties"].as_object().into_iter().flatten() {
            if !value["description"].is_string() {
                undescribed.push(format!("{name}.{property}"));
            }
            let integer = value["type"] == "integer"
                || value["type"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t == "integer"));
            if integer && value.get("example").is_none() {
                no_example.push(format!("{name}.{property}"));
            }
        }
    }
    assert!(
        undescribed.is_empty(),
        "without a description: {undescribed:?}"
    );
    assert!(
        no_example.is_empty(),
        "integers without an example: {no_example:?}"
    );
    let text = roster_api::openapi::api_doc_json();
    assert!(!text.contains("documentation of the string field"));
}

/// Every documented problem response shows an example of its own kind, not another's.
#[test]
fn every_problem_response_shows_an_example_of_its_status() {
    let doc = generated();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let Some(content) = response["content"].get("application/problem+json") else {
                    continue;
                };
                let mut all: Vec<&Value> = content["examples"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(_, example)| &example["value"])
                    .collect();
                if all.is_empty() {
                    all.push(&content["example"]);
                }
                for example in all {
                    assert_eq!(
                        example["status"].as_u64().map(|s| s.to_string()).as_deref(),
                        Some(status.as_str()),
                        "{method} {path} {status}: {example}"
                    );
                }
            }
        }
    }
}

/// Every `$ref` in `value`, with where it stands.
fn refs<'a>(value: &'a Value, at: String, found: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => found.push((at.clone(), target)),
                    _ => refs(inner, format!("{at}/{key}"), found),
                }
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                refs(inner, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn every_reference_in_the_document_resolves() {
    let doc = generated();
    let mut found = Vec::new();
    refs(&doc, String::new(), &mut found);
    assert!(!found.is_empty());
    let dangling: Vec<_> = found
        .iter()
        .filter(|(_, target)| {
            let pointer = target.strip_prefix('#').unwrap_or(target);
            doc.pointer(pointer).is_none()
        })
        .collect();
    assert!(
        dangling.is_empty(),
        "references to nothing (Swagger UI shows resolver errors): {dangling:#?}"
    );
}

#[test]
fn every_request_body_example_names_only_documented_fields() {
    // An example a person can send as it is: its keys are properties of its schema.
    let doc = generated();
    let schemas = &doc["components"]["schemas"];
    for (name, schema) in schemas.as_object().unwrap() {
        let (Some(example), Some(properties)) = (
            schema["example"].as_object(),
            schema["properties"].as_object(),
        ) else {
            continue;
        };
        for key in example.keys() {
            assert!(
                properties.contains_key(key),
                "the example of {name} uses {key}, which {name} does not have"
            );
        }
    }
}

/// The example of a request-body schema, as Swagger UI pre-fills it.
fn example(doc: &Value, schema: &str) -> Value {
    let example = doc["components"]["schemas"][schema]["example"].clone();
    assert!(example.is_object(), "{schema} has no example");
    example
}

fn swagger_examples_work_as_shown(app: &TestApp) {
    let doc = generated();
    let user = example(&doc, "CreateUser");
    let created = app.client.post("/v1/users", None, &user);
    assert_eq!(created.status, 201, "CreateUser example: {}", created.body);

    let token = app
        .client
        .post("/v1/auth/token", None, &example(&doc, "TokenRequest"));
    assert_eq!(
        token.status, 200,
        "TokenRequest example (after the CreateUser example): {}",
        token.body
    );
    let bearer = token.body["access_token"].as_str().unwrap().to_owned();

    let org = app.client.post(
        "/v1/organizations",
        Some(&bearer),
        &example(&doc, "CreateOrganization"),
    );
    assert_eq!(org.status, 201, "CreateOrganization example: {}", org.body);
    let path = format!("/v1/organizations/{}", org.body["id"].as_str().unwrap());
    let patched = app
        .client
        .patch(&path, Some(&bearer), &example(&doc, "UpdateOrganization"));
    assert_eq!(
        patched.status, 200,
        "UpdateOrganization example: {}",
        patched.body
    );

    let me = app
        .client
        .patch("/v1/users/me", Some(&bearer), &example(&doc, "UpdateMe"));
    assert_eq!(me.status, 200, "UpdateMe example: {}", me.body);
    let password = app.client.post(
        "/v1/users/me/password",
        Some(&bearer),
        &example(&doc, "ChangePassword"),
    );
    assert_eq!(
        password.status, 204,
        "ChangePassword example: {}",
        password.body
    );
}

fn openapi_json_is_served_and_equals_the_generated_document(app: &TestApp) {
    let res = app.client.get("/openapi.json", None);
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(
        res.header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "content-type {:?}",
        res.header("content-type")
    );
    let served: Value = serde_json::from_str(&res.text).expect("served document is JSON");
    assert!(
        served == generated(),
        "GET /openapi.json differs from api_doc_json()"
    );
}

fn openapi_docs_redirect_to_swagger_ui(app: &TestApp) {
    let res = app.client.get("/docs", None);
    assert_eq!(res.status, 308, "{}", res.text);
    assert_eq!(res.header("location"), Some("/docs/"));

    let res = app.client.get("/docs/", None);
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(
        res.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "content-type {:?}",
        res.header("content-type")
    );
    assert!(
        res.text.to_ascii_lowercase().contains("swagger"),
        "/docs/ is not Swagger UI:\n{}",
        res.text
    );
}

backend_tests!(
    every_operation_shows_its_requirement,
    swagger_examples_work_as_shown,
    openapi_json_is_served_and_equals_the_generated_document,
    openapi_docs_redirect_to_swagger_ui
);
