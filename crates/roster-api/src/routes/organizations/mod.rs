//! Organizations: create, list, read, update, close and delete.

mod create;
mod delete;
mod get;
pub mod json;
mod list;
mod patch;
mod update;
pub mod view;
mod write;

use actix_web::web;

pub use create::__path_create_organization;
pub use delete::__path_delete_organization;
pub use get::__path_get_organization;
pub use get::Expand;
pub use list::{__path_list_organizations, Direction, ListScope, Personal, SortKey};
pub use update::__path_update_organization;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create::create_organization)
        .service(list::list_organizations)
        .service(get::get_organization)
        .service(update::update_organization)
        .service(delete::delete_organization);
}
