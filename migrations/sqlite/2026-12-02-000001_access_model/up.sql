-- The access model: custom roles, invitations and API keys; members listed by email as fast as
-- by age; a limit on pending invitations. The Postgres tree holds the same schema.

ALTER TABLE organizations ADD COLUMN max_invitations BIGINT;

-- A membership keeps its user's email (Roster rewrites it in the same transaction when the
-- email changes), so that the member list pages by email through an index, as it does by age.
ALTER TABLE memberships ADD COLUMN email TEXT NOT NULL DEFAULT '';
UPDATE memberships SET email = (SELECT email FROM users WHERE users.id = memberships.user_id);
CREATE INDEX memberships_org_created_idx ON memberships (organization_id, created_at, user_id);
CREATE INDEX memberships_org_email_idx ON memberships (organization_id, email, user_id);
CREATE INDEX memberships_org_role_idx ON memberships (organization_id, role);
-- Memberships that will expire, for the sweeper that removes them when they do.
CREATE INDEX memberships_expires_at_idx ON memberships (expires_at) WHERE expires_at IS NOT NULL;

-- Custom roles: a key unique within the organization, any subset of the permission catalogue
-- (never organization:delete) plus application permission tags.
CREATE TABLE roles (
    organization_id TEXT_UUID      NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    key             TEXT           NOT NULL,
    name            TEXT           NOT NULL,
    description     TEXT,
    permissions     TEXT_JSON      NOT NULL,
    created_at      TEXT_TIMESTAMP NOT NULL,
    updated_at      TEXT_TIMESTAMP NOT NULL,
    PRIMARY KEY (organization_id, key)
);

-- Invitations: the one-time token is stored as its SHA-256 only. `state` is pending, accepted
-- or revoked; a pending invitation past `expires_at` is expired. At most one invitation per
-- email and organization is pending: inviting again replaces it.
CREATE TABLE invitations (
    id              TEXT_UUID      NOT NULL PRIMARY KEY,
    organization_id TEXT_UUID      NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email           TEXT           NOT NULL,
    role            TEXT           NOT NULL,
    token_hash      BLOB           NOT NULL,
    state           TEXT           NOT NULL,
    invited_by      TEXT_UUID      REFERENCES users (id) ON DELETE SET NULL,
    expires_at      TEXT_TIMESTAMP NOT NULL,
    created_at      TEXT_TIMESTAMP NOT NULL,
    accepted_at     TEXT_TIMESTAMP,
    accepted_by     TEXT_UUID      REFERENCES users (id) ON DELETE SET NULL,
    revoked_at      TEXT_TIMESTAMP
);
CREATE UNIQUE INDEX invitations_token_hash_key ON invitations (token_hash);
CREATE UNIQUE INDEX invitations_pending_email_key ON invitations (organization_id, email)
    WHERE state = 'pending';
CREATE INDEX invitations_org_created_idx ON invitations (organization_id, created_at, id);
CREATE INDEX invitations_email_idx ON invitations (email, created_at, id);

-- API keys, stored as SHA-256 only. An organization key (`organization_id` set) acts in that
-- organization with `role` and `permissions`, on behalf of the user who made it and never
-- above that user's own permissions; a personal key (`organization_id` NULL) acts as its user.
CREATE TABLE api_keys (
    id              TEXT_UUID      NOT NULL PRIMARY KEY,
    organization_id TEXT_UUID      REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         TEXT_UUID      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            TEXT           NOT NULL,
    prefix          TEXT           NOT NULL,
    key_hash        BLOB           NOT NULL,
    role            TEXT,
    permissions     TEXT_JSON      NOT NULL,
    expires_at      TEXT_TIMESTAMP,
    last_used_at    TEXT_TIMESTAMP,
    created_at      TEXT_TIMESTAMP NOT NULL,
    revoked_at      TEXT_TIMESTAMP
);
CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys (key_hash);
CREATE INDEX api_keys_org_created_idx ON api_keys (organization_id, created_at, id);
CREATE INDEX api_keys_user_created_idx ON api_keys (user_id, created_at, id);
