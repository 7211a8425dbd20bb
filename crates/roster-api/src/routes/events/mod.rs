//! The audit log.

pub mod json;
mod list;

use super::registry::Routes;

pub fn register(routes: &mut Routes) {
    routes.add(
        list::__path_list_organization_events,
        list::list_organization_events,
    );
    routes.add(list::__path_list_events, list::list_events);
}
