// The README is the crate's front page (what it is for, a usage example); including it here
// also compiles and runs that example.
#![doc = include_str!("../README.md")]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod access;
mod context;
mod core;
mod error;
pub mod events;
pub mod idempotency;
pub mod json_fields;
pub mod keys;
pub mod login_throttle;
mod operation;
pub mod organizations;
pub mod pagination;
mod passwords;
mod precondition;
mod principal;
mod request;
pub mod sessions;
mod settings;
pub mod users;

pub use crate::core::{open_database, Core};
pub use context::Context;
pub use error::{Conflict, CoreError, Forbidden};
pub use operation::{Declared, Kind, Operation, Procedure, Requirement, Secrets};
pub use passwords::PasswordPool;
pub use precondition::Precondition;
pub use principal::{Caller, Principal, UserCredential};
pub use request::RequestMeta;
pub use settings::{OrgCreationPolicy, Settings, SignupPolicy};
