//! Short-lived access tokens: EdDSA-signed JWTs with a `kid` header.
//!
//! Roster issues them ([`TokenIssuer`]); Roster and other services verify them
//! offline against the public keys from `/.well-known/jwks.json`
//! ([`TokenVerifier`]), so a request never needs a call back to Roster.

mod claims;
mod issuer;
mod jwks;
mod shared;
mod verifier;

#[cfg(test)]
mod tests;

#[cfg(feature = "jwks-fetch")]
pub(crate) use claims::grants;
pub use claims::{AccessClaims, OrgScope};
pub use issuer::{IssuedToken, TokenIssuer};
pub use shared::SharedVerifier;
pub use verifier::TokenVerifier;
