//! Teams: groups of an organization's members, and who is in them.

mod handlers;
pub mod json;
mod members;

use super::registry::Routes;

pub fn register(routes: &mut Routes) {
    routes.add(handlers::__path_list_teams, handlers::list_teams);
    routes.add(handlers::__path_create_team, handlers::create_team);
    routes.add(handlers::__path_get_team, handlers::get_team);
    routes.add(handlers::__path_update_team, handlers::update_team);
    routes.add(handlers::__path_delete_team, handlers::delete_team);
    routes.add(
        members::__path_list_team_members,
        members::list_team_members,
    );
    routes.add(members::__path_add_team_member, members::add_team_member);
    routes.add(
        members::__path_update_team_member,
        members::update_team_member,
    );
    routes.add(
        members::__path_remove_team_member,
        members::remove_team_member,
    );
}
