//! The OpenAPI document, derived from the handlers. `roster openapi` prints it and
//! `openapi/openapi.json` holds the committed copy that a test keeps current.

use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{
    Flow, HttpAuthScheme, HttpBuilder, OAuth2, Password, Scopes, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::error::{Problem, ProblemField};
use crate::routes::{auth, health, organizations, users};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Roster",
        description = "Organizations, users and memberships for multi-tenant applications.\n\n\
            Sign up with `POST /v1/users`, then use **Authorize** (OAuth2 password flow: your email \
            and password) to call the rest. Errors are RFC 9457 problem details; lists share one \
            envelope with cursor or page pagination.",
        license(name = "Apache-2.0")
    ),
    paths(
        health::healthz,
        health::readyz,
        auth::create_token,
        auth::revoke_token,
        auth::get_jwks,
        users::create_user,
        users::get_me,
        users::update_me,
        users::change_password,
        users::list_my_organizations,
        users::list_users,
        users::get_user,
        users::update_user,
        organizations::create_organization,
        organizations::list_organizations,
        organizations::get_organization,
        organizations::update_organization,
        organizations::delete_organization,
    ),
    components(schemas(
        Problem,
        ProblemField,
        organizations::ListScope,
        organizations::Personal,
        organizations::SortKey,
        organizations::Direction,
        organizations::Expand,
    )),
    modifiers(&SecuritySchemes, &StandardErrors),
    tags(
        (name = "auth", description = "Tokens: sign in, refresh, revoke, and the keys that verify them"),
        (name = "users", description = "Sign-up, the caller's profile, and platform-admin user management"),
        (name = "organizations", description = "Organizations (customer accounts)"),
        (name = "operations", description = "Health and readiness (metrics are on the management listener, `--management-listen`)"),
    )
)]
struct ApiDoc;

/// The whole document.
pub fn api_doc() -> Document {
    ApiDoc::openapi()
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
            "oauth2",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::Password(Password::new(
                    "/v1/auth/token",
                    Scopes::new(),
                ))],
                "Sign in with your email as username and your password.",
            )),
        );
    }
}

/// Adds the error responses every operation can give, so each handler lists only its own.
struct StandardErrors;

impl Modify for StandardErrors {
    fn modify(&self, doc: &mut Document) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let all = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in all.into_iter().flatten() {
                describe_success(operation);
            }
            for operation in [&mut item.patch, &mut item.delete].into_iter().flatten() {
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(if_match_parameter());
                operation
                    .responses
                    .responses
                    .entry("412".to_owned())
                    .or_insert_with(|| {
                        problem_response("If-Match does not match the current ETag")
                    });
            }
            let honours_idempotency_key = |operation: &utoipa::openapi::path::Operation| {
                operation
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| p.name == "Idempotency-Key")
            };
            if let Some(post) = item.post.as_mut().filter(|op| honours_idempotency_key(op)) {
                post.responses
                    .responses
                    .entry("409".to_owned())
                    .or_insert_with(|| {
                        problem_response(
                            "Conflict; or a request with the same Idempotency-Key is still running",
                        )
                    });
            }
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                let secured = operation
                    .security
                    .as_ref()
                    .is_some_and(|reqs| !reqs.is_empty());
                let mut add = |status: &str, description: &str| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| problem_response(description));
                };
                if path.starts_with("/v1/") {
                    add("400", "Malformed JSON or query parameters");
                }
                if secured {
                    add("401", "No or invalid credentials");
                    add("403", "Authenticated, but lacking the permission");
                }
                if path.contains('{') {
                    add("404", "Not found, or not visible to the caller");
                }
                if operation.request_body.is_some() {
                    add(
                        "408",
                        "The body did not arrive in time; the connection is closed",
                    );
                    add("413", "The body is larger than 1 MiB");
                    add("415", "The body is not JSON");
                    add("422", "Invalid fields, each named in `errors`");
                }
                if path != "/healthz" && !path.starts_with("/.well-known") {
                    add("503", "The database is unavailable");
                }
            }
        }
    }
}

/// Swagger UI shows a response's description as its title: give the plain ones a name.
fn describe_success(operation: &mut utoipa::openapi::path::Operation) {
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
            "Only if the resource's ETag (from a GET) still matches; otherwise 412.",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}
