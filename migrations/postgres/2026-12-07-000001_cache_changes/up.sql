-- The read cache's invalidation feed. Every instance keeps, in memory, rows of the tables below
-- (who a credential is, an organization, a member's standing); a trigger on each writes what a
-- change touched into `cache_changes`, inside the writing transaction. Roster's writer takes
-- its own transaction's rows out again before it commits and announces them with NOTIFY, which
-- PostgreSQL delivers to the other instances only if the transaction commits. Rows that stay
-- (a change made outside Roster, with psql) are announced by every instance's listener within a
-- second. No code path has to remember to invalidate: writing the table is what does it.
CREATE UNLOGGED TABLE cache_changes (
    id  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx  bigint      NOT NULL DEFAULT txid_current(),
    tag text        NOT NULL,
    at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cache_changes_tx_idx ON cache_changes (tx);

-- A tag names what changed: the table's letter, then the row's key columns (trigger arguments),
-- `:`-separated, e.g. `m:<organization id>:<user id>` for a membership. (TG_ARGV counts from 0:
-- the bounds are read, not assumed.)
CREATE FUNCTION roster_cache_tag(item jsonb, args text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT args[array_lower(args, 1)] || ':'
        || string_agg(item ->> column_name, ':' ORDER BY position)
    FROM unnest(args[array_lower(args, 1) + 1 : array_upper(args, 1)])
        WITH ORDINALITY AS key_columns(column_name, position)
$$;

CREATE FUNCTION roster_cache_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_tag text;
    new_tag text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_tag := roster_cache_tag(to_jsonb(OLD), TG_ARGV);
        INSERT INTO cache_changes (tag) VALUES (old_tag);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_tag := roster_cache_tag(to_jsonb(NEW), TG_ARGV);
        IF old_tag IS DISTINCT FROM new_tag THEN
            INSERT INTO cache_changes (tag) VALUES (new_tag);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_cache_changes AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION roster_cache_change('u', 'id');
-- A session is live while its family has a token not revoked: new tokens, revocations and purges.
CREATE TRIGGER refresh_tokens_cache_changes
    AFTER INSERT OR DELETE OR UPDATE OF revoked_at, family_id, user_id ON refresh_tokens
    FOR EACH ROW EXECUTE FUNCTION roster_cache_change('s', 'family_id');
-- Every column but `last_used_at`, which a key's use writes once a minute and no cache reads.
CREATE TRIGGER api_keys_cache_changes
    AFTER INSERT OR DELETE OR UPDATE OF organization_id, user_id, name, prefix, key_hash, role,
        permissions, expires_at, created_at, revoked_at ON api_keys
    FOR EACH ROW EXECUTE FUNCTION roster_cache_change('k', 'id');
CREATE TRIGGER organizations_cache_changes AFTER INSERT OR UPDATE OR DELETE ON organizations
    FOR EACH ROW EXECUTE FUNCTION roster_cache_change('o', 'id');
CREATE TRIGGER memberships_cache_changes AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION roster_cache_change('m', 'organization_id', 'user_id');
CREATE TRIGGER roles_cache_changes AFTER INSERT OR UPDATE OR DELETE ON roles
    FOR EACH ROW EXECUTE FUNCTION roster_cache_change('r', 'organization_id');

-- TRUNCATE fires no row trigger: it makes every instance forget everything (`*`).
CREATE FUNCTION roster_cache_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cache_changes (tag) VALUES ('*');
    RETURN NULL;
END
$$;
CREATE TRIGGER users_cache_truncate AFTER TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION roster_cache_truncate();
CREATE TRIGGER refresh_tokens_cache_truncate AFTER TRUNCATE ON refresh_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION roster_cache_truncate();
CREATE TRIGGER api_keys_cache_truncate AFTER TRUNCATE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION roster_cache_truncate();
CREATE TRIGGER organizations_cache_truncate AFTER TRUNCATE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION roster_cache_truncate();
CREATE TRIGGER memberships_cache_truncate AFTER TRUNCATE ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION roster_cache_truncate();
CREATE TRIGGER roles_cache_truncate AFTER TRUNCATE ON roles
    FOR EACH STATEMENT EXECUTE FUNCTION roster_cache_truncate();
