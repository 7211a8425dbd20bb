//! The OpenAPI document: the paths come from the route registry (one registration per
//! endpoint), the rest from here. `roster openapi` prints it and `openapi/openapi.json` holds
//! the committed copy that a test keeps current.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::json;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Password, Scopes,
    SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::error::{ApiError, Problem, ProblemField};
use crate::routes::{invitations, members, organizations, routes};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Roster",
        description = "Organizations, users, memberships with roles and permissions, invitations, \
            API keys and an audit log for multi-tenant applications.\n\n\
            Sign up with `POST /v1/users`, then use **Authorize** (OAuth2 password flow: your email \
            and password; or an API key, `rst_…`) to call the rest. Each operation says what it \
            requires. Errors are RFC 9457 problem details; lists share one envelope with cursor or \
            page pagination.",
        license(name = "Apache-2.0")
    ),
    components(schemas(
        Problem,
        ProblemField,
        organizations::ListScope,
        organizations::IncludeMode,
        organizations::SortKey,
        organizations::Direction,
        organizations::Expand,
        members::MemberSortKey,
        crate::routes::named::NamedSortKey,
        invitations::InvitationStateValue,
    )),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Tokens: sign in, refresh, revoke, and the keys that verify them"),
        (name = "users", description = "Sign-up, the caller's profile, and platform-admin user management"),
        (name = "organizations", description = "Organizations (customer accounts)"),
        (name = "members", description = "Who belongs to an organization, with which role; ownership; effective permissions and the `authorize` question"),
        (name = "roles", description = "The built-in roles and an organization's custom roles"),
        (name = "teams", description = "Teams: groups of an organization's members (`member` or `maintainer`), which projects grant access to"),
        (name = "projects", description = "Projects: the application's own resources, and the access levels (`reader` < `writer` < `owner`) they grant teams"),
        (name = "invitations", description = "Inviting people by email, and joining"),
        (name = "api-keys", description = "Organization API keys and personal API keys (`rst_…`)"),
        (name = "events", description = "The audit log: every change, who made it, and when"),
        (name = "webhooks", description = "Events sent to your endpoints as they happen, signed as Standard Webhooks says (platform admins)"),
        (name = "operations", description = "Health and readiness (metrics are on the management listener, `--management-listen`)"),
    )
)]
struct ApiDoc;

/// The whole document (built once).
pub fn api_doc() -> Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = routes().document(ApiDoc::openapi());
        StandardErrors.modify(&mut doc);
        lift_descriptions(&mut doc);
        crate::webhook_messages::document_webhook_messages(&mut doc);
        doc
    })
    .clone()
}

/// The document as pretty JSON with a trailing newline, exactly as committed.
pub fn api_doc_json() -> String {
    let mut json = api_doc().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT access token, or an API key starting with rst_")
                    .description(Some(
                        "`Authorization: Bearer <token>`; `X-Api-Key: rst_…` works too.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "An API key (`rst_…`): an organization's, or your personal one.",
            ))),
        );
        components.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::Password(Password::new(
                    "/v1/auth/token",
                    Scopes::new(),
                ))],
                "Sign in with your email as username and your password; leave the client \
                 fields empty.",
            )),
        );
    }
}

/// A property that may be null and refers to a schema is written `oneOf: [null, {$ref,
/// description}]`; readers look for the description beside `oneOf`, so it is copied there.
fn lift_descriptions(doc: &mut Document) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for schema in components.schemas.values_mut() {
        let RefOr::T(utoipa::openapi::Schema::Object(object)) = schema else {
            continue;
        };
        for property in object.properties.values_mut() {
            let RefOr::T(utoipa::openapi::Schema::OneOf(one_of)) = property else {
                continue;
            };
            if one_of.description.is_some() {
                continue;
            }
            let json = serde_json::to_value(&one_of.items).unwrap_or_default();
            one_of.description = json
                .as_array()
                .into_iter()
                .flatten()
                .find_map(|item| item["description"].as_str().map(str::to_owned));
        }
    }
}

/// Adds the responses any request can meet (malformed, too large or too slow a body, the
/// database away, an `If-Match` that no longer holds), so each handler lists only its own. What
/// an operation refuses for its own reasons (401, 403, 404, 409…) the route registry documents
/// from its declarations ([`document_refusals`]).
struct StandardErrors;

impl Modify for StandardErrors {
    fn modify(&self, doc: &mut Document) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let methods = [
                (&mut item.get, "GET"),
                (&mut item.post, "POST"),
                (&mut item.put, "PUT"),
                (&mut item.patch, "PATCH"),
                (&mut item.delete, "DELETE"),
            ];
            for (operation, method) in methods {
                if let Some(operation) = operation.as_mut() {
                    standard_errors(path, method, operation);
                }
            }
        }
    }
}

fn standard_errors(path: &str, method: &str, operation: &mut Operation) {
    describe_success(operation);
    give_examples(path, operation);
    if method == "PATCH" || method == "DELETE" {
        operation
            .parameters
            .get_or_insert_with(Vec::new)
            .push(if_match_parameter());
        add(operation, 412, "If-Match does not match the current ETag");
    }
    if path.starts_with("/v1/") {
        add(operation, 400, "Malformed JSON or query parameters");
    }
    if operation.request_body.is_some() {
        add(
            operation,
            408,
            "The body did not arrive in time; the connection is closed",
        );
        add(operation, 413, "The body is larger than 1 MiB");
        add(
            operation,
            415,
            "The body is not of the documented media type",
        );
        add(operation, 422, "Invalid fields, each named in `errors`");
    }
    if path != "/healthz" && !path.starts_with("/.well-known") {
        add(operation, 503, "The database is unavailable");
    }
}

/// Adds the response for `status` unless the operation documents its own.
fn add(operation: &mut Operation, status: u16, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| problem_response(status, description));
}

/// The problem responses an operation documents itself get an example of their own kind too.
fn give_examples(path: &str, operation: &mut Operation) {
    for (status, response) in operation.responses.responses.iter_mut() {
        let (RefOr::T(response), Ok(status)) = (response, status.parse::<u16>()) else {
            continue;
        };
        if let Some(content) = response.content.get_mut("application/problem+json") {
            if content.example.is_none() && content.examples.is_empty() {
                content.example = Some(match (path, status) {
                    ("/v1/auth/token", 400) => oauth_example(),
                    _ => problem_example(status),
                });
            }
        }
    }
}

/// The token endpoint's refusal of a grant, as RFC 6749 §5.2 has it.
fn oauth_example() -> serde_json::Value {
    json!({
        "type": "https://roster.dev/problems/invalid-grant",
        "title": "Invalid grant",
        "status": 400,
        "detail": "invalid email or password",
        "error": "invalid_grant",
        "error_description": "invalid email or password",
    })
}

/// Swagger UI shows a response's description as its title: give the plain ones a name.
fn describe_success(operation: &mut Operation) {
    for (status, response) in operation.responses.responses.iter_mut() {
        if let RefOr::T(response) = response {
            if response.description.is_empty() {
                response.description = match status.as_str() {
                    "200" => "OK",
                    "201" => "Created",
                    "204" => "No content",
                    _ => "Response",
                }
                .to_owned();
            }
        }
    }
}

fn if_match_parameter() -> Parameter {
    ParameterBuilder::new()
        .name("If-Match")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Only if the resource's ETag (from a GET) still matches; otherwise 412. Without it, \
             the last writer wins.",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

/// A problem response, with an example of its own kind.
fn problem_response(status: u16, description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .example(Some(problem_example(status)))
                    .build(),
            )
            .build(),
    )
}

/// What a problem of each status that any request can meet looks like. The refusals of an
/// operation (401, 403, 404, 409, 410, 429…) are examples of their own, from
/// [`document_refusals`].
pub fn problem_example(status: u16) -> serde_json::Value {
    let (slug, title, detail) = match status {
        400 => (
            "bad-request",
            "Bad request",
            "malformed JSON: expected value at line 1 column 1",
        ),
        408 => (
            "request-timeout",
            "Request timeout",
            "the request body did not arrive within 30 seconds",
        ),
        412 => (
            "precondition-failed",
            "Precondition failed",
            "If-Match \"0193a5c2…-3\" does not match the current ETag \"0193a5c2…-4\"",
        ),
        413 => (
            "payload-too-large",
            "Payload too large",
            "the request body is larger than 1048576 bytes",
        ),
        415 => (
            "unsupported-media-type",
            "Unsupported media type",
            "expected application/json, got text/plain",
        ),
        422 => (
            "validation",
            "Validation failed",
            "the request has invalid fields",
        ),
        503 => (
            "unavailable",
            "Service unavailable",
            "the database is unavailable; retry shortly",
        ),
        _ => (
            "internal",
            "Internal server error",
            "an unexpected error occurred; it has been logged",
        ),
    };
    let mut example = json!({
        "type": format!("https://roster.dev/problems/{slug}"),
        "title": title,
        "status": status,
        "detail": detail,
    });
    if status == 422 {
        example["errors"] = json!([{"field": "name", "code": "invalid_format",
            "message": "may contain only lowercase letters, digits and hyphens"}]);
    }
    example
}

/// Documents what an operation refuses with: for each status, the response (keeping the
/// description its handler gave) with the problems it can answer, as examples rendered by the
/// code that answers requests.
pub(crate) fn document_refusals(
    operation: &mut Operation,
    refusals: &BTreeMap<u16, Vec<ApiError>>,
) {
    for (status, errors) in refusals {
        let problems: Vec<Problem> = errors.iter().map(ApiError::problem).collect();
        let mut content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem")));
        content = match problems.as_slice() {
            [only] => content.example(Some(json_of(only))),
            many => content.examples_from_iter(many.iter().map(|problem| {
                let example = ExampleBuilder::new()
                    .summary(problem.detail.clone())
                    .value(Some(json_of(problem)));
                (example_name(problem), example)
            })),
        };
        let response = operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(refusal_description(*status))
                        .build(),
                )
            });
        if let RefOr::T(response) = response {
            response
                .content
                .insert("application/problem+json".to_owned(), content.build());
        }
    }
}

fn json_of(problem: &Problem) -> serde_json::Value {
    serde_json::to_value(problem).unwrap_or_default()
}

/// An example's key: its detail in a few lowercase words (`organization-not-found`).
fn example_name(problem: &Problem) -> String {
    let words: Vec<String> = problem
        .detail
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(8)
        .map(str::to_ascii_lowercase)
        .collect();
    words.join("-")
}

/// What a refusal's status means, where its handler says nothing more particular.
fn refusal_description(status: u16) -> &'static str {
    match status {
        401 => "No credential, or one that does not work (expired, signed out, revoked)",
        403 => "Authenticated, but not allowed to do this",
        404 => "Not found, or not visible to the caller",
        409 => "Conflicts with the current state",
        410 => "No longer available",
        429 => "Too many attempts; wait `Retry-After` seconds",
        _ => "Refused",
    }
}

/// The operations of `doc` that declare no requirement (`x-roster-requires`, the line of
/// their description, a security matching it), as `METHOD /path`. Empty for a document made by
/// the route registry; anything added to it some other way shows up here.
pub fn undeclared_operations(doc: &Document) -> Vec<String> {
    let mut undeclared = Vec::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, operation) in methods {
            let Some(operation) = operation else {
                continue;
            };
            let declared = operation
                .extensions
                .as_ref()
                .and_then(|e| e.get("x-roster-requires"))
                .and_then(|v| v.as_str());
            let described = operation
                .description
                .as_deref()
                .is_some_and(|d| d.contains("**Requires:"));
            let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
            let consistent = match declared {
                Some("public") => !secured,
                Some(_) => secured,
                None => false,
            };
            if !(described && consistent) {
                undeclared.push(format!("{method} {path}"));
            }
        }
    }
    undeclared
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder};

    #[test]
    fn every_registered_operation_declares_its_requirement() {
        assert_eq!(undeclared_operations(&api_doc()), Vec::<String>::new());
    }

    /// An endpoint documented outside the registry has no declared requirement, and the check
    /// says so: it can fail.
    #[test]
    fn an_operation_added_outside_the_registry_is_reported() {
        let mut doc = api_doc();
        let stray = OperationBuilder::new()
            .operation_id(Some("list_widgets"))
            .description(Some("Widgets."))
            .build();
        doc.paths
            .add_path_operation("/v1/widgets", vec![HttpMethod::Get], stray);
        assert_eq!(undeclared_operations(&doc), ["GET /v1/widgets"]);
    }
}
