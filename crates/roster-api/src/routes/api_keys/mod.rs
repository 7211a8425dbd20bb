//! API keys: an organization's, and users' personal ones.

pub mod json;
mod organization;
mod personal;

use super::registry::Routes;

pub fn register(routes: &mut Routes) {
    routes.add(
        organization::__path_create_organization_key,
        organization::create_organization_key,
    );
    routes.add(
        organization::__path_list_organization_keys,
        organization::list_organization_keys,
    );
    routes.add(
        organization::__path_revoke_organization_key,
        organization::revoke_organization_key,
    );
}

/// `/v1/users/me/api-keys`, registered with the other `/me` routes.
pub fn register_mine(routes: &mut Routes) {
    routes.add(
        personal::__path_create_personal_key,
        personal::create_personal_key,
    );
    routes.add(
        personal::__path_list_personal_keys,
        personal::list_personal_keys,
    );
    routes.add(
        personal::__path_revoke_personal_key,
        personal::revoke_personal_key,
    );
}
