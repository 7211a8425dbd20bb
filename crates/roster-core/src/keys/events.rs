//! What signing-key rotation records in the audit log (never a key).

use serde::{Deserialize, Serialize};

use crate::events::{Event, Target};

/// `signing_key.rotated`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigningKeyRotated {
    /// The key's id (`kid` in token headers and the JWKS).
    pub kid: String,
    /// Whether the new key is stored sealed with the key-encryption key.
    pub encrypted: bool,
}

/// `signing_key.retired`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigningKeyRetired {
    /// The key's id (`kid` in token headers and the JWKS).
    pub kid: String,
}

pub fn rotated(kid: &str, encrypted: bool) -> Event {
    Event::of(
        Target::SigningKey(kid.to_owned()),
        SigningKeyRotated {
            kid: kid.to_owned(),
            encrypted,
        },
    )
}

pub fn retired(kid: &str) -> Event {
    Event::of(
        Target::SigningKey(kid.to_owned()),
        SigningKeyRetired {
            kid: kid.to_owned(),
        },
    )
}
