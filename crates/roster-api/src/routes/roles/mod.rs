//! Roles: the built-in ones and the organization's custom roles.

mod handlers;
pub mod json;

use super::registry::Routes;

pub fn register(routes: &mut Routes) {
    routes.add(handlers::__path_list_roles, handlers::list_roles);
    routes.add(handlers::__path_create_role, handlers::create_role);
    routes.add(handlers::__path_get_role, handlers::get_role);
    routes.add(handlers::__path_update_role, handlers::update_role);
    routes.add(handlers::__path_delete_role, handlers::delete_role);
}
