//! Every route, one module per area and one file per action. Each area registers its
//! endpoints once, in [`registry`]: route and OpenAPI document from the same line.

pub mod api_keys;
pub mod auth;
pub mod docs;
pub mod events;
pub mod health;
pub mod invitations;
pub mod members;
pub mod metrics;
pub mod named;
pub mod organizations;
pub mod projects;
pub mod registry;
pub mod roles;
pub mod teams;
pub(crate) mod unmatched;
pub mod users;
pub mod webhooks;

use std::sync::OnceLock;

use actix_web::web;

use registry::Routes;

/// Every endpoint of the public API, in the order routes are matched.
pub fn routes() -> &'static Routes {
    static ROUTES: OnceLock<Routes> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let mut routes = Routes::default();
        routes.add_public(health::__path_healthz, health::healthz);
        routes.add_public(health::__path_readyz, health::readyz);
        auth::register(&mut routes);
        users::register(&mut routes);
        organizations::register(&mut routes);
        members::register(&mut routes);
        roles::register(&mut routes);
        teams::register(&mut routes);
        projects::register(&mut routes);
        invitations::register(&mut routes);
        api_keys::register(&mut routes);
        events::register(&mut routes);
        webhooks::register(&mut routes);
        routes
    })
}

/// The API listener: everything but the metrics (load balancers still get `/healthz` and
/// `/readyz` here).
pub fn configure(cfg: &mut web::ServiceConfig) {
    docs::configure(cfg);
    routes().configure(cfg);
    cfg.default_service(web::to(unmatched::not_found));
}

/// The management listener (`--management-listen`): metrics and health.
pub fn configure_management(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .service(metrics::metrics);
    cfg.default_service(web::to(unmatched::not_found));
}
