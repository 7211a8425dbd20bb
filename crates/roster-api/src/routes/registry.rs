//! One registration per endpoint gives both its route and its place in the OpenAPI document.
//!
//! A handler's first argument, `Call<O>`, names the operation of `roster-core` it runs, and
//! with it what the operation declares: who may call it (shown in the document as
//! `x-roster-requires` and a line of its description, and as its security), and whether it
//! honours `Idempotency-Key` (every POST that changes something, whose request carries no
//! secret and whose caller is known; its response is kept sealed when it carries one). Nothing of this is kept in lists of
//! paths elsewhere.

use std::sync::Arc;

use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::{web, FromRequest, Handler, HttpRequest, Responder};
use roster_core::{Declared, Kind, Requirement};
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{HttpMethod, Operation as DocOperation};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{OpenApi, RefOr, Schema};

use crate::error::ApiError;
use crate::extract::Call;
use crate::idempotency;
use crate::refusals::{self, Refusals};
use crate::request_observer::RouteLabel;

/// The handler arguments that start with `Call<O>`: they tell the operation `O`.
pub trait RunsOperation {
    type Operation: Declared;
}

macro_rules! runs_operation {
    ($($arg:ident),*) => {
        impl<O: Declared, $($arg),*> RunsOperation for (Call<O>, $($arg,)*) {
            type Operation = O;
        }
    };
}
runs_operation!();
runs_operation!(A);
runs_operation!(A, B);
runs_operation!(A, B, C);
runs_operation!(A, B, C, D);
runs_operation!(A, B, C, D, E);
runs_operation!(A, B, C, D, E, F);

type RouteFactory = Arc<dyn Fn() -> actix_web::Route + Send + Sync>;

struct Endpoint {
    path: String,
    method: HttpMethod,
    requires: Requirement,
    /// Honours `Idempotency-Key` (its response is kept sealed when it holds a secret).
    idempotent: bool,
    /// What its operation refuses with besides what the requirement and path imply; `None`
    /// for a handler that runs no operation.
    refusals: Option<fn() -> Vec<ApiError>>,
    doc: DocOperation,
    schemas: Vec<(String, RefOr<Schema>)>,
    route: RouteFactory,
}

/// Every endpoint of the API.
#[derive(Default)]
pub struct Routes {
    endpoints: Vec<Endpoint>,
}

impl Routes {
    /// Registers `handler` at the path and method of its OpenAPI description `P` (the
    /// `__path_<handler>` that `#[utoipa::path]` makes), running the operation of its `Call<O>`.
    pub fn add<P, F, Args>(&mut self, _doc: P, handler: F)
    where
        P: utoipa::Path + utoipa::__dev::SchemaReferences + for<'t> utoipa::__dev::Tags<'t>,
        F: Handler<Args> + Send + Sync,
        Args: FromRequest + RunsOperation + 'static,
        Args::Operation: Refusals,
        F::Output: Responder + 'static,
    {
        let op = <Args::Operation as Declared>::SECRETS;
        let method = single_method::<P>();
        // A POST that only reads (authorize) is safe to repeat, and replaying its stored answer
        // would hand out a decision that may no longer hold.
        let writes = <Args::Operation as Declared>::KIND == Kind::Write;
        // Keys belong to a caller: an operation anyone may call without a credential (asking
        // for a password reset) has no one to keep them for, and is safe to repeat anyway.
        let public = <Args::Operation as Declared>::REQUIRES == Requirement::Public;
        let idempotent = matches!(method, HttpMethod::Post) && writes && !op.in_request && !public;
        self.push::<P, F, Args>(
            handler,
            method,
            <Args::Operation as Declared>::REQUIRES,
            idempotent,
            Some(<Args::Operation as Refusals>::refusals),
        );
    }

    /// Registers a handler that runs no operation (health, the public keys), which anyone may
    /// call.
    pub fn add_public<P, F, Args>(&mut self, _doc: P, handler: F)
    where
        P: utoipa::Path + utoipa::__dev::SchemaReferences + for<'t> utoipa::__dev::Tags<'t>,
        F: Handler<Args> + Send + Sync,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.push::<P, F, Args>(
            handler,
            single_method::<P>(),
            Requirement::Public,
            false,
            None,
        );
    }

    fn push<P, F, Args>(
        &mut self,
        handler: F,
        method: HttpMethod,
        requires: Requirement,
        idempotent: bool,
        refusals: Option<fn() -> Vec<ApiError>>,
    ) where
        P: utoipa::Path + utoipa::__dev::SchemaReferences + for<'t> utoipa::__dev::Tags<'t>,
        F: Handler<Args> + Send + Sync,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let mut schemas = Vec::new();
        P::schemas(&mut schemas);
        let actix_method = actix_method(&method);
        let route: RouteFactory = Arc::new(move || {
            let route = web::method(actix_method.clone()).to(handler.clone());
            if idempotent {
                route.wrap(from_fn(idempotency::replayable))
            } else {
                route
            }
        });
        let mut doc = P::operation();
        let tags: Vec<String> = <P as utoipa::__dev::Tags<'_>>::tags()
            .into_iter()
            .map(str::to_owned)
            .collect();
        if !tags.is_empty() {
            doc.tags = Some(tags);
        }
        self.endpoints.push(Endpoint {
            path: P::path(),
            method,
            requires,
            idempotent,
            refusals,
            doc,
            schemas,
            route,
        });
    }

    /// The routes, one resource per path (in registration order, so `/v1/users/me` comes
    /// before `/v1/users/{id}`); a known path asked with another method is 405 with `Allow`.
    pub fn configure(&self, cfg: &mut web::ServiceConfig) {
        for (path, endpoints) in self.by_path() {
            let allowed: Vec<&'static str> =
                endpoints.iter().map(|e| method_name(&e.method)).collect();
            let mut resource = web::resource(path).app_data(RouteLabel(Arc::from(path)));
            for endpoint in endpoints {
                resource = resource.route((endpoint.route)());
            }
            let allowed = Arc::new(allowed);
            resource = resource.default_service(web::to(move |req: HttpRequest| {
                let allowed = Arc::clone(&allowed);
                async move { crate::routes::unmatched::method_not_allowed(&req, &allowed) }
            }));
            cfg.service(resource);
        }
    }

    fn by_path(&self) -> Vec<(&str, Vec<&Endpoint>)> {
        let mut grouped: Vec<(&str, Vec<&Endpoint>)> = Vec::new();
        for endpoint in &self.endpoints {
            match grouped.iter_mut().find(|(path, _)| *path == endpoint.path) {
                Some((_, list)) => list.push(endpoint),
                None => grouped.push((&endpoint.path, vec![endpoint])),
            }
        }
        grouped
    }

    /// The paths of the OpenAPI document, each operation with its requirement, its security,
    /// the refusals it can answer with and, where it applies, the `Idempotency-Key` header.
    pub fn document(&self, mut doc: OpenApi) -> OpenApi {
        let components = doc.components.get_or_insert_with(Default::default);
        for endpoint in &self.endpoints {
            for (name, schema) in &endpoint.schemas {
                components
                    .schemas
                    .entry(name.clone())
                    .or_insert_with(|| schema.clone());
            }
        }
        for endpoint in &self.endpoints {
            let mut operation = endpoint.doc.clone();
            declare_requirement(&mut operation, endpoint.requires);
            if endpoint.idempotent {
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(idempotency::key_parameter());
            }
            let own = endpoint
                .refusals
                .map(|declared| declared())
                .unwrap_or_default();
            let refusals = refusals::of_endpoint(
                &endpoint.path,
                endpoint.requires,
                endpoint.refusals.is_some(),
                endpoint.idempotent,
                own,
            );
            crate::openapi::document_refusals(&mut operation, &refusals);
            doc.paths
                .add_path_operation(&endpoint.path, vec![endpoint.method.clone()], operation);
        }
        doc
    }
}

/// Shows the requirement in the document: `x-roster-requires`, a line of the description that
/// Swagger UI shows, and the security (none for public operations, so no padlock).
fn declare_requirement(operation: &mut DocOperation, requires: Requirement) {
    let extensions = ExtensionsBuilder::new()
        .add("x-roster-requires", requires.describe())
        .build();
    match operation.extensions.as_mut() {
        Some(existing) => existing.merge(extensions),
        None => operation.extensions = Some(extensions),
    }
    let sentence = requires.sentence();
    operation.description = Some(match operation.description.take() {
        Some(text) if !text.is_empty() => format!("{text}\n\n**{sentence}**"),
        _ => format!("**{sentence}**"),
    });
    let mut schemes = vec![
        SecurityRequirement::new("bearer", Vec::<String>::new()),
        SecurityRequirement::new("oauth2", Vec::<String>::new()),
    ];
    // What guards the account itself is done with a session, never with an API key.
    if requires != Requirement::UserSession {
        schemes.push(SecurityRequirement::new("api_key", Vec::<String>::new()));
    }
    operation.security = match requires {
        Requirement::Public => None,
        _ => Some(schemes),
    };
}

fn single_method<P: utoipa::Path>() -> HttpMethod {
    P::methods().into_iter().next().unwrap_or(HttpMethod::Get)
}

fn actix_method(method: &HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Options => Method::OPTIONS,
        HttpMethod::Head => Method::HEAD,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Trace => Method::TRACE,
    }
}

fn method_name(method: &HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Head => "HEAD",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Trace => "TRACE",
    }
}
