-- Roster's foundation: users and their credentials, signing keys, organizations, memberships.
-- The Postgres tree holds the same schema; a test fails when the two disagree. Column types
-- TEXT_UUID, TEXT_JSON and TEXT_TIMESTAMP keep SQLite's TEXT affinity and name the Postgres
-- type (uuid, jsonb, timestamptz) each column stands for.

CREATE TABLE users (
    id            TEXT_UUID NOT NULL PRIMARY KEY,
    email         TEXT        NOT NULL,
    name          TEXT,
    password_hash TEXT,
    state         TEXT        NOT NULL DEFAULT 'active',
    is_admin      BOOLEAN     NOT NULL DEFAULT 0,
    created_at    TEXT_TIMESTAMP NOT NULL,
    updated_at    TEXT_TIMESTAMP NOT NULL
);
-- Emails are stored lowercased, so a plain unique index is case-insensitive uniqueness.
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_created_at_idx ON users (created_at, id);

-- Ed25519 keys that sign access tokens; in the database so that every instance shares them.
CREATE TABLE signing_keys (
    kid          TEXT NOT NULL PRIMARY KEY,
    private_key  BLOB       NOT NULL,
    public_key   BLOB       NOT NULL,
    created_at   TEXT_TIMESTAMP NOT NULL,
    retired_at   TEXT_TIMESTAMP
);

CREATE TABLE organizations (
    id            TEXT_UUID NOT NULL PRIMARY KEY,
    name          TEXT        NOT NULL,
    display_name  TEXT        NOT NULL,
    -- display_name lowercased by Roster (full Unicode), for case-insensitive prefix search.
    display_name_folded TEXT  NOT NULL,
    billing_email TEXT,
    description   TEXT,
    website       TEXT,
    logo_url      TEXT,
    address       TEXT_JSON       NOT NULL,
    reference     TEXT,
    custom        TEXT_JSON       NOT NULL,
    state         TEXT        NOT NULL,
    personal      BOOLEAN     NOT NULL DEFAULT 0,
    visibility    TEXT        NOT NULL DEFAULT 'private',
    max_members   BIGINT,
    max_api_keys  BIGINT,
    member_count  BIGINT      NOT NULL DEFAULT 0,
    version       BIGINT      NOT NULL DEFAULT 1,
    created_by    TEXT_UUID        REFERENCES users (id) ON DELETE SET NULL,
    created_at    TEXT_TIMESTAMP NOT NULL,
    updated_at    TEXT_TIMESTAMP NOT NULL,
    closed_at     TEXT_TIMESTAMP
);
CREATE UNIQUE INDEX organizations_name_key ON organizations (name);
CREATE UNIQUE INDEX organizations_reference_key ON organizations (reference);
CREATE INDEX organizations_created_at_idx ON organizations (created_at, id);
CREATE INDEX organizations_display_name_folded_idx ON organizations (display_name_folded);

-- Refresh tokens, stored as SHA-256 hashes. One family per login; rotation marks the old
-- token used, and presenting a used token again revokes the whole family.
CREATE TABLE refresh_tokens (
    id              TEXT_UUID NOT NULL PRIMARY KEY,
    family_id       TEXT_UUID        NOT NULL,
    user_id         TEXT_UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash      BLOB       NOT NULL,
    organization_id TEXT_UUID REFERENCES organizations (id) ON DELETE CASCADE,
    created_at      TEXT_TIMESTAMP NOT NULL,
    expires_at      TEXT_TIMESTAMP NOT NULL,
    used_at         TEXT_TIMESTAMP,
    revoked_at      TEXT_TIMESTAMP
);
CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_organization_idx ON refresh_tokens (organization_id);

-- Names an organization had before a rename; they resolve (308) until someone takes them.
CREATE TABLE organization_former_names (
    name            TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT_UUID        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_at      TEXT_TIMESTAMP NOT NULL
);
CREATE INDEX organization_former_names_org_idx ON organization_former_names (organization_id);

CREATE TABLE memberships (
    organization_id TEXT_UUID        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         TEXT_UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            TEXT        NOT NULL,
    permissions     TEXT_JSON       NOT NULL,
    expires_at      TEXT_TIMESTAMP,
    created_at      TEXT_TIMESTAMP NOT NULL,
    updated_at      TEXT_TIMESTAMP NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id, organization_id);

-- Idempotency-Key: the first response to a POST, replayed for a retry with the same key and
-- body within 24 hours. `status` is NULL while the first request is still running.
CREATE TABLE idempotency_keys (
    scope            TEXT        NOT NULL,
    key              TEXT        NOT NULL,
    request_hash     BLOB       NOT NULL,
    status           INTEGER,
    response_headers TEXT_JSON,
    response_body    BLOB,
    created_at       TEXT_TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
