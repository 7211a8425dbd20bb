//! The OpenAPI document: the committed `openapi/openapi.json` is current, the server serves
//! the same document and Swagger UI, and the document describes the whole API.

use std::path::PathBuf;

use roster_tests::{backend_tests, TestApp};
use serde_json::Value;

const REGENERATE: &str = "cargo run -p roster-api -- openapi > openapi/openapi.json";

/// The operations the API has; each must be documented.
const OPERATIONS: &[&str] = &[
    "create_token",
    "revoke_token",
    "get_jwks",
    "create_user",
    "get_me",
    "update_me",
    "change_password",
    "list_users",
    "get_user",
    "update_user",
    "list_my_organizations",
    "create_organization",
    "list_organizations",
    "get_organization",
    "update_organization",
    "delete_organization",
    "healthz",
    "readyz",
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
    let missing: Vec<&str> = OPERATIONS
        .iter()
        .copied()
        .filter(|op| !documented.iter().any(|(id, _)| id == op))
        .collect();
    assert!(
        missing.is_empty(),
        "operations missing from the OpenAPI document: {missing:?}\ndocumented: {documented:#?}"
    );
    let mut ids: Vec<&String> = documented.iter().map(|(id, _)| id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        documented.len(),
        "duplicate operationIds: {documented:#?}"
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
    openapi_json_is_served_and_equals_the_generated_document,
    openapi_docs_redirect_to_swagger_ui
);
