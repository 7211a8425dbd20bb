//! Projects, what they grant teams, and a user's access to one.

mod grants;
mod handlers;
pub mod json;

use super::registry::Routes;

pub fn register(routes: &mut Routes) {
    routes.add(handlers::__path_list_projects, handlers::list_projects);
    routes.add(handlers::__path_create_project, handlers::create_project);
    routes.add(handlers::__path_get_project, handlers::get_project);
    routes.add(handlers::__path_update_project, handlers::update_project);
    routes.add(handlers::__path_delete_project, handlers::delete_project);
    routes.add(
        grants::__path_list_project_grants,
        grants::list_project_grants,
    );
    routes.add(grants::__path_put_grant, grants::put_grant);
    routes.add(grants::__path_delete_grant, grants::delete_grant);
    routes.add(grants::__path_list_team_grants, grants::list_team_grants);
    routes.add(grants::__path_project_access, grants::project_access);
}
