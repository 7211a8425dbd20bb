// The README is the crate's front page (what the crate is for, a usage
// example); including it here also compiles and runs that example.
#![doc = include_str!("../README.md")]
// Workspace lints deny unwrap/expect; tests may unwrap (a panic is a failure there).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod access_token;
#[cfg(feature = "actix")]
mod actix;
mod error;
mod key_encryption;
mod opaque_token;
mod password;
#[cfg(feature = "jwks-fetch")]
mod remote_keys;
mod signing_key;

pub use access_token::{
    AccessClaims, IssuedToken, OrgScope, SharedVerifier, TokenIssuer, TokenVerifier,
};
#[cfg(feature = "actix")]
pub use actix::{bearer_token, ClaimsRejection, PermissionDenied, RosterClaims};
pub use error::AuthError;
pub use key_encryption::{is_sealed, KeyEncryptionKey};
pub use opaque_token::{
    constant_time_eq, hash_secret, looks_like_api_key, looks_like_invitation_token,
    looks_like_password_reset_token, looks_like_verification_token, new_api_key,
    new_invitation_token, new_password_reset_token, new_refresh_token, new_verification_token,
    NewSecret, API_KEY_PREFIX, INVITATION_TOKEN_PREFIX, PASSWORD_RESET_TOKEN_PREFIX,
    REFRESH_TOKEN_PREFIX, VERIFICATION_TOKEN_PREFIX,
};
pub use password::{hash_password, verify_dummy, verify_password, PasswordWorker};
#[cfg(feature = "jwks-fetch")]
pub use remote_keys::{
    Identity, IdentityOrganization, IdentityUser, RemoteKeys, RemoteKeysBuilder,
};
pub use signing_key::SigningKeyPair;
