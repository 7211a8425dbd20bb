//! Tokens: sign-in and refresh, revocation, and the public keys that verify access tokens.

pub mod json;
mod jwks;
mod revoke;
mod token;

use actix_web::web;

pub use jwks::__path_get_jwks;
pub use revoke::__path_revoke_token;
pub use token::__path_create_token;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(token::create_token)
        .service(revoke::revoke_token)
        .service(jwks::get_jwks);
}
