//! Sign-up, the token endpoint (password and refresh grants, organization scope), revocation,
//! the JWKS, and how request bodies are refused.

mod http_edge;
mod jwks;
mod org_scope;
mod password_burst;
mod password_grant;
mod refresh;
mod shared_keys;
mod sign_up;
mod signing_keys;
mod throttling;
