DROP TRIGGER team_members_cache_truncate ON team_members;
DROP TRIGGER project_grants_cache_truncate ON project_grants;
DROP TRIGGER projects_cache_truncate ON projects;
DROP TRIGGER team_members_cache_changes ON team_members;
DROP TRIGGER project_grants_cache_changes ON project_grants;
DROP TRIGGER projects_cache_changes ON projects;
