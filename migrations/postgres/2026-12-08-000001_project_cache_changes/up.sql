-- Project access joins the read cache (`authorize` with a project, from memory): a project, a
-- grant of one, or a team membership changed in an organization tags `p:<organization id>`,
-- which makes every instance forget what it knows of that organization's project access.
-- Teams themselves are not read: deleting one removes its members and grants, whose own
-- triggers fire (row triggers fire for cascaded deletes too).
CREATE TRIGGER projects_cache_changes AFTER INSERT OR UPDATE OR DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION roster_cache_change('p', 'organization_id');
CREATE TRIGGER project_grants_cache_changes AFTER INSERT OR UPDATE OR DELETE ON project_grants
    FOR EACH ROW EXECUTE FUNCTION roster_cache_change('p', 'organization_id');
CREATE TRIGGER team_members_cache_changes AFTER INSERT OR UPDATE OR DELETE ON team_members
    FOR EACH ROW EXECUTE FUNCTION roster_cache_change('p', 'organization_id');

CREATE TRIGGER projects_cache_truncate AFTER TRUNCATE ON projects
    FOR EACH STATEMENT EXECUTE FUNCTION roster_cache_truncate();
CREATE TRIGGER project_grants_cache_truncate AFTER TRUNCATE ON project_grants
    FOR EACH STATEMENT EXECUTE FUNCTION roster_cache_truncate();
CREATE TRIGGER team_members_cache_truncate AFTER TRUNCATE ON team_members
    FOR EACH STATEMENT EXECUTE FUNCTION roster_cache_truncate();
