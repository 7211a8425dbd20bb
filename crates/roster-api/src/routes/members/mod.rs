//! Members: the organization's memberships, ownership, effective permissions and `authorize`.

mod add;
mod authorize;
mod get;
pub mod json;
mod list;
mod permissions;
mod remove;
mod transfer;
mod update;

pub use list::MemberSortKey;

use super::registry::Routes;

pub fn register(routes: &mut Routes) {
    routes.add(list::__path_list_members, list::list_members);
    routes.add(add::__path_add_member, add::add_member);
    routes.add(get::__path_get_member, get::get_member);
    routes.add(update::__path_update_member, update::update_member);
    routes.add(remove::__path_remove_member, remove::remove_member);
    routes.add(
        permissions::__path_member_permissions,
        permissions::member_permissions,
    );
    routes.add(
        transfer::__path_transfer_ownership,
        transfer::transfer_ownership,
    );
    routes.add(authorize::__path_authorize, authorize::authorize);
}
