//! Roster's HTTP API: actix-web handlers that parse a request, run an operation of
//! `roster-core` and render its answer; problem responses; the OpenAPI document; and the server
//! builder behind the `roster` binary.

mod app;
mod client_address;
pub mod config;
mod error;
mod extract;
mod idempotency;
mod instants;
mod metrics;
pub mod openapi;
mod pagination;
mod refusals;
mod reply;
mod request_observer;
pub mod routes;
mod state;
pub mod telemetry;
mod webhook_messages;

pub use app::{
    admin_from_flags, describe_admin_error, ensure_admin, AdminFlags, Application, StartupError,
};
pub use config::ServeArgs;
pub use error::{ApiError, Problem, ProblemField};
pub use reply::Reply;
