//! Roster's HTTP API: actix-web handlers, problem responses, OpenAPI, and the server builder
//! behind the `roster` binary.

mod access;
mod app;
mod bootstrap;
mod client_address;
pub mod config;
mod error;
mod extract;
mod idempotency;
pub mod keys;
mod login_throttle;
mod metrics;
pub mod openapi;
mod pagination;
mod passwords;
mod request_observer;
pub mod routes;
mod state;
pub mod telemetry;
mod token_cache;

pub use app::{open_database, Application, StartupError};
pub use bootstrap::{ensure_admin, AdminOutcome};
pub use config::ServeArgs;
pub use error::{ApiError, Problem, ProblemField};
