//! Tokens: sign-in and refresh, revocation, and the public keys that verify access tokens.

pub mod json;
mod jwks;
mod revoke;
mod token;
mod whoami;

use super::registry::Routes;

pub fn register(routes: &mut Routes) {
    routes.add(token::__path_create_token, token::create_token);
    routes.add(revoke::__path_revoke_token, revoke::revoke_token);
    routes.add_public(jwks::__path_get_jwks, jwks::get_jwks);
    routes.add(whoami::__path_whoami, whoami::whoami);
}
