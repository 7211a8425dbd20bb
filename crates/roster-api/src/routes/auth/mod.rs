//! Tokens: sign-in and refresh, revocation, the public keys that verify access tokens, and the
//! mailed links that verify an address or reset a password.

pub mod json;
mod jwks;
mod password_reset;
mod revoke;
mod token;
mod verify_email;
mod whoami;

use super::registry::Routes;

pub fn register(routes: &mut Routes) {
    routes.add(token::__path_create_token, token::create_token);
    routes.add(revoke::__path_revoke_token, revoke::revoke_token);
    routes.add_public(jwks::__path_get_jwks, jwks::get_jwks);
    routes.add(whoami::__path_whoami, whoami::whoami);
    routes.add(
        verify_email::__path_verify_email,
        verify_email::verify_email,
    );
    routes.add(
        password_reset::__path_request_password_reset,
        password_reset::request_password_reset,
    );
    routes.add(
        password_reset::__path_confirm_password_reset,
        password_reset::confirm_password_reset,
    );
}
