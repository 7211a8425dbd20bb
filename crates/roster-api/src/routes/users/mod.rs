//! Users: sign-up, the caller's own profile, password and account, and platform-admin
//! management.

mod change_password;
mod create;
mod delete;
mod get;
pub mod json;
mod list;
mod me;
mod my_organizations;
mod set_password;
mod update;
mod verify_email;

pub use get::user_id;

use super::registry::Routes;

pub fn register(routes: &mut Routes) {
    // `/me` routes first, so "me" is never taken for a user id.
    routes.add(me::__path_get_me, me::get_me);
    routes.add(me::__path_update_me, me::update_me);
    routes.add(
        change_password::__path_change_password,
        change_password::change_password,
    );
    routes.add(delete::__path_delete_me, delete::delete_me);
    routes.add(
        verify_email::__path_resend_verification,
        verify_email::resend_verification,
    );
    routes.add(
        my_organizations::__path_list_my_organizations,
        my_organizations::list_my_organizations,
    );
    super::invitations::register_mine(routes);
    super::api_keys::register_mine(routes);
    routes.add(create::__path_create_user, create::create_user);
    routes.add(list::__path_list_users, list::list_users);
    routes.add(get::__path_get_user, get::get_user);
    routes.add(update::__path_update_user, update::update_user);
    routes.add(delete::__path_delete_user, delete::delete_user);
    routes.add(
        set_password::__path_set_password,
        set_password::set_password,
    );
    routes.add(
        my_organizations::__path_list_user_organizations,
        my_organizations::list_user_organizations,
    );
}
