-- The read cache's invalidation feed (see the PostgreSQL migration). SQLite is one process's:
-- a trigger on each table the cache holds rows of writes what a change touched here, in the
-- writing transaction; the server reads what is new after each of its own commits, and every
-- 50 ms for what another process wrote (`roster` commands beside a running server). Rows older
-- than a minute are pruned.
CREATE TABLE cache_changes (
    id  INTEGER        NOT NULL PRIMARY KEY AUTOINCREMENT,
    tx  BIGINT         NOT NULL DEFAULT 0,
    tag TEXT           NOT NULL,
    at  TEXT_TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX cache_changes_tx_idx ON cache_changes (tx);

CREATE TRIGGER users_cache_insert AFTER INSERT ON users BEGIN
    INSERT INTO cache_changes (tag) VALUES ('u:' || NEW.id);
END;
CREATE TRIGGER users_cache_update AFTER UPDATE ON users BEGIN
    INSERT INTO cache_changes (tag) VALUES ('u:' || OLD.id);
    INSERT INTO cache_changes (tag) SELECT 'u:' || NEW.id WHERE NEW.id IS NOT OLD.id;
END;
CREATE TRIGGER users_cache_delete AFTER DELETE ON users BEGIN
    INSERT INTO cache_changes (tag) VALUES ('u:' || OLD.id);
END;

CREATE TRIGGER refresh_tokens_cache_insert AFTER INSERT ON refresh_tokens BEGIN
    INSERT INTO cache_changes (tag) VALUES ('s:' || NEW.family_id);
END;
CREATE TRIGGER refresh_tokens_cache_update AFTER UPDATE OF revoked_at, family_id, user_id ON refresh_tokens BEGIN
    INSERT INTO cache_changes (tag) VALUES ('s:' || OLD.family_id);
    INSERT INTO cache_changes (tag) SELECT 's:' || NEW.family_id WHERE NEW.family_id IS NOT OLD.family_id;
END;
CREATE TRIGGER refresh_tokens_cache_delete AFTER DELETE ON refresh_tokens BEGIN
    INSERT INTO cache_changes (tag) VALUES ('s:' || OLD.family_id);
END;

CREATE TRIGGER api_keys_cache_insert AFTER INSERT ON api_keys BEGIN
    INSERT INTO cache_changes (tag) VALUES ('k:' || NEW.id);
END;
CREATE TRIGGER api_keys_cache_update AFTER UPDATE OF organization_id, user_id, name, prefix, key_hash, role, permissions, expires_at, created_at, revoked_at ON api_keys BEGIN
    INSERT INTO cache_changes (tag) VALUES ('k:' || OLD.id);
    INSERT INTO cache_changes (tag) SELECT 'k:' || NEW.id WHERE NEW.id IS NOT OLD.id;
END;
CREATE TRIGGER api_keys_cache_delete AFTER DELETE ON api_keys BEGIN
    INSERT INTO cache_changes (tag) VALUES ('k:' || OLD.id);
END;

CREATE TRIGGER organizations_cache_insert AFTER INSERT ON organizations BEGIN
    INSERT INTO cache_changes (tag) VALUES ('o:' || NEW.id);
END;
CREATE TRIGGER organizations_cache_update AFTER UPDATE ON organizations BEGIN
    INSERT INTO cache_changes (tag) VALUES ('o:' || OLD.id);
    INSERT INTO cache_changes (tag) SELECT 'o:' || NEW.id WHERE NEW.id IS NOT OLD.id;
END;
CREATE TRIGGER organizations_cache_delete AFTER DELETE ON organizations BEGIN
    INSERT INTO cache_changes (tag) VALUES ('o:' || OLD.id);
END;

CREATE TRIGGER memberships_cache_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO cache_changes (tag) VALUES ('m:' || NEW.organization_id || ':' || NEW.user_id);
END;
CREATE TRIGGER memberships_cache_update AFTER UPDATE ON memberships BEGIN
    INSERT INTO cache_changes (tag) VALUES ('m:' || OLD.organization_id || ':' || OLD.user_id);
    INSERT INTO cache_changes (tag) SELECT 'm:' || NEW.organization_id || ':' || NEW.user_id WHERE NEW.organization_id IS NOT OLD.organization_id OR NEW.user_id IS NOT OLD.user_id;
END;
CREATE TRIGGER memberships_cache_delete AFTER DELETE ON memberships BEGIN
    INSERT INTO cache_changes (tag) VALUES ('m:' || OLD.organization_id || ':' || OLD.user_id);
END;

CREATE TRIGGER roles_cache_insert AFTER INSERT ON roles BEGIN
    INSERT INTO cache_changes (tag) VALUES ('r:' || NEW.organization_id);
END;
CREATE TRIGGER roles_cache_update AFTER UPDATE ON roles BEGIN
    INSERT INTO cache_changes (tag) VALUES ('r:' || OLD.organization_id);
    INSERT INTO cache_changes (tag) SELECT 'r:' || NEW.organization_id WHERE NEW.organization_id IS NOT OLD.organization_id;
END;
CREATE TRIGGER roles_cache_delete AFTER DELETE ON roles BEGIN
    INSERT INTO cache_changes (tag) VALUES ('r:' || OLD.organization_id);
END;
