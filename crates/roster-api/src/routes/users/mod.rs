//! Users: sign-up, the caller's own profile and password, and platform-admin management.

mod change_password;
mod create;
mod get;
pub mod json;
mod list;
mod me;
mod my_organizations;
mod profile;
mod update;

use actix_web::web;

pub use change_password::__path_change_password;
pub use create::__path_create_user;
pub use get::__path_get_user;
pub use list::__path_list_users;
pub use me::{__path_get_me, __path_update_me};
pub use my_organizations::__path_list_my_organizations;
pub use update::__path_update_user;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `/me` routes first, so "me" is never taken for a user id.
    cfg.service(me::get_me)
        .service(me::update_me)
        .service(change_password::change_password)
        .service(my_organizations::list_my_organizations)
        .service(create::create_user)
        .service(list::list_users)
        .service(get::get_user)
        .service(update::update_user);
}
