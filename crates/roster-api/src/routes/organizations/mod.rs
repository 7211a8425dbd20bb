//! Organizations: create, list, read, update, close and delete.

mod create;
mod delete;
mod get;
pub mod json;
mod key;
mod list;
mod update;
mod usage;
pub mod view;

pub use get::Expand;
pub use key::org_key;
pub use list::{Direction, IncludeMode, ListScope, SortKey};

use super::registry::Routes;

pub fn register(routes: &mut Routes) {
    routes.add(
        create::__path_create_organization,
        create::create_organization,
    );
    routes.add(list::__path_list_organizations, list::list_organizations);
    routes.add(get::__path_get_organization, get::get_organization);
    routes.add(
        update::__path_update_organization,
        update::update_organization,
    );
    routes.add(
        delete::__path_delete_organization,
        delete::delete_organization,
    );
    routes.add(usage::__path_get_usage, usage::get_usage);
}
