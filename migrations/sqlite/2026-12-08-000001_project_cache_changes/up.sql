-- Project access joins the read cache (see the PostgreSQL migration): a project, a grant of one,
-- or a team membership changed in an organization tags `p:<organization id>`. SQLite runs
-- delete triggers for rows a foreign key's ON DELETE CASCADE removes, so deleting a team counts.

CREATE TRIGGER projects_cache_insert AFTER INSERT ON projects BEGIN
    INSERT INTO cache_changes (tag) VALUES ('p:' || NEW.organization_id);
END;
CREATE TRIGGER projects_cache_update AFTER UPDATE ON projects BEGIN
    INSERT INTO cache_changes (tag) VALUES ('p:' || OLD.organization_id);
    INSERT INTO cache_changes (tag) SELECT 'p:' || NEW.organization_id WHERE NEW.organization_id IS NOT OLD.organization_id;
END;
CREATE TRIGGER projects_cache_delete AFTER DELETE ON projects BEGIN
    INSERT INTO cache_changes (tag) VALUES ('p:' || OLD.organization_id);
END;

CREATE TRIGGER project_grants_cache_insert AFTER INSERT ON project_grants BEGIN
    INSERT INTO cache_changes (tag) VALUES ('p:' || NEW.organization_id);
END;
CREATE TRIGGER project_grants_cache_update AFTER UPDATE ON project_grants BEGIN
    INSERT INTO cache_changes (tag) VALUES ('p:' || OLD.organization_id);
    INSERT INTO cache_changes (tag) SELECT 'p:' || NEW.organization_id WHERE NEW.organization_id IS NOT OLD.organization_id;
END;
CREATE TRIGGER project_grants_cache_delete AFTER DELETE ON project_grants BEGIN
    INSERT INTO cache_changes (tag) VALUES ('p:' || OLD.organization_id);
END;

CREATE TRIGGER team_members_cache_insert AFTER INSERT ON team_members BEGIN
    INSERT INTO cache_changes (tag) VALUES ('p:' || NEW.organization_id);
END;
CREATE TRIGGER team_members_cache_update AFTER UPDATE ON team_members BEGIN
    INSERT INTO cache_changes (tag) VALUES ('p:' || OLD.organization_id);
    INSERT INTO cache_changes (tag) SELECT 'p:' || NEW.organization_id WHERE NEW.organization_id IS NOT OLD.organization_id;
END;
CREATE TRIGGER team_members_cache_delete AFTER DELETE ON team_members BEGIN
    INSERT INTO cache_changes (tag) VALUES ('p:' || OLD.organization_id);
END;
