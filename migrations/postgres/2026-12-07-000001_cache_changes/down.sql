DROP TRIGGER roles_cache_changes ON roles;
DROP TRIGGER memberships_cache_changes ON memberships;
DROP TRIGGER organizations_cache_changes ON organizations;
DROP TRIGGER api_keys_cache_changes ON api_keys;
DROP TRIGGER refresh_tokens_cache_changes ON refresh_tokens;
DROP TRIGGER users_cache_changes ON users;
DROP FUNCTION roster_cache_change();
DROP FUNCTION roster_cache_tag(jsonb, text[]);
DROP TABLE cache_changes;
