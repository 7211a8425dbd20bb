//! API keys: an organization's (a role and tags, acting for the member who made it and never
//! above them) and a user's personal ones (acting as the user). The key is shown once; Roster
//! keeps its SHA-256 and its first characters.

mod api_key;
mod create;
pub(crate) mod events;
mod list;
mod revoke;

use std::fmt;

use roster_domain::{required_text, FieldError};
use roster_store::Ts;

pub(crate) use api_key::etag;
pub use api_key::ApiKey;
pub use create::{CreateOrganizationKey, CreatePersonalKey};
pub use list::{KeyCursor, ListOrganizationKeys, ListPersonalKeys};
pub use revoke::{RevokeOrganizationKey, RevokePersonalKey};

const NAME_MAX: usize = 100;

/// A new key and its secret, shown this once.
#[derive(Clone)]
pub struct CreatedKey {
    pub api_key: ApiKey,
    pub key: String,
}

impl fmt::Debug for CreatedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedKey")
            .field("id", &self.api_key.id)
            .field("prefix", &self.api_key.prefix)
            .finish_non_exhaustive()
    }
}

fn parse_name(name: &str) -> Result<String, FieldError> {
    required_text(name, "name", NAME_MAX)
}

fn check_expiry(expires_at: Option<Ts>, now: Ts) -> Result<(), FieldError> {
    match expires_at {
        Some(at) if at <= now => Err(FieldError::new(
            "expires_at",
            "in_past",
            "must be in the future",
        )),
        _ => Ok(()),
    }
}
