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

/// The token endpoint's refusal of a grant (RFC 6749 §5.2): 400 with the OAuth2 code
/// `invalid_grant` and its `error_description`, never cached.
pub fn assert_invalid_grant(res: &Res) {
    assert_oauth_error(res, "invalid_grant");
}

/// The token endpoint's refusal of a malformed request: 400 `invalid_request`, with `errors`
/// naming exactly `field`.
pub fn assert_invalid_request(res: &Res, field: &str) {
    assert_oauth_error(res, "invalid_request");
    assert_eq!(res.error_fields(), vec![field.to_owned()], "{}", res.text);
}

/// A token-endpoint error as RFC 6749 §5.2 has it: 400, `error` = `code`, an
/// `error_description`, `Cache-Control: no-store`; the body is problem+json too.
pub fn assert_oauth_error(res: &Res, code: &str) {
    assert_eq!(res.status, 400, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(res.body["error"], code, "{}", res.text);
    assert!(res.body["error_description"].is_string(), "{}", res.text);
    assert_eq!(res.header("cache-control"), Some("no-store"));
}
