// The README is the crate's front page (what it is for, a usage example); including it here
// also compiles and runs that example.
#![doc = include_str!("../README.md")]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod access;
pub mod accounts;
pub mod api_keys;
pub mod background;
mod context;
mod core;
mod error;
pub mod events;
pub mod idempotency;
pub mod invitations;
pub mod json_fields;
pub mod keys;
mod limits;
pub mod login_throttle;
pub mod mail;
pub mod members;
mod memory;
pub mod named_lists;
mod observer;
mod operation;
pub mod organizations;
mod outbox;
pub mod pagination;
mod passwords;
mod precondition;
mod principal;
pub mod profile;
pub mod projects;
mod rate_limit;
pub mod read_cache;
mod request;
pub mod roles;
pub mod sessions;
mod settings;
pub mod standing;
pub mod teams;
pub mod users;
pub mod webhooks;

pub use crate::core::{open_database, Core, DatabaseState};
pub use context::Context;
pub use error::{Conflict, CoreError, Forbidden, Limit, LimitKind};
pub use memory::Memory;
pub use observer::{Observer, SignInOutcome};
pub use operation::{Declared, Kind, Operation, Procedure, Requirement, Secrets};
pub use passwords::PasswordPool;
pub use precondition::Precondition;
pub use principal::{ApiKeyCredential, Caller, CheckedKey, Principal, UserCredential, Via};
pub use request::RequestMeta;
/// A database URL with any password replaced, safe to log or show.
pub use roster_store::redact_url;
pub use settings::{OrgCreationPolicy, Settings, SignupPolicy, WebhookSettings};
