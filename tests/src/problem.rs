//! Assertions on problem+json answers, the one error body Roster sends
//! (`https://roster.dev/problems/<kind>`).

use crate::Res;

/// A problem+json response of this status and kind (`https://roster.dev/problems/<kind>`).
pub fn assert_problem(res: &Res, status: u16, kind: &str) {
    assert_eq!(res.status, status, "expected {status}, got: {}", res.text);
    assert_eq!(
        res.header("content-type"),
        Some("application/problem+json"),
        "{}",
        res.text
    );
    assert_eq!(
        res.body["type"],
        format!("https://roster.dev/problems/{kind}")
    );
    assert_eq!(res.body["status"], status);
}

/// A 422 naming `field` with `code` among its `errors`.
pub fn assert_field_error(res: &Res, field: &str, code: &str) {
    assert_problem(res, 422, "validation");
    let errors = res.body["errors"].as_array().expect("errors array");
    assert!(
        errors
            .iter()
            .any(|e| e["field"] == field && e["code"] == code && e["message"].is_string()),
        "expected {field}/{code} in {}",
        res.text
    );
}

/// A 422 problem whose `errors` name exactly `field`, and no other.
pub fn assert_only_field_error(res: &Res, field: &str) {
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(res.body["type"], "https://roster.dev/problems/validation");
    assert_eq!(res.error_fields(), vec![field.to_owned()], "{}", res.text);
}

/// A 401 problem that carries a Bearer `WWW-Authenticate` challenge.
pub fn assert_unauthorized(res: &Res) {
    assert_problem(res, 401, "unauthorized");
    assert!(
        res.header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer")),
        "401 without a Bearer WWW-Authenticate: {:?}",
        res.headers
    );
}

/// The token endpoint's refusal: a 401 problem with the OAuth2 code `invalid_grant`.
pub fn assert_invalid_grant(res: &Res) {
    assert_unauthorized(res);
    assert_eq!(res.body["error"], "invalid_grant", "{}", res.text);
}
