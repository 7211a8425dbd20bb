-- Roster's foundation: users and their credentials, signing keys, organizations, memberships.
-- The SQLite tree holds the same schema; a test fails when the two disagree.

CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL,
    name          text,
    password_hash text,
    state         text        NOT NULL DEFAULT 'active',
    is_admin      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
-- Emails are stored lowercased, so a plain unique index is case-insensitive uniqueness.
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_created_at_idx ON users (created_at, id);

-- Ed25519 keys that sign access tokens; in the database so that every instance shares them.
CREATE TABLE signing_keys (
    kid          text        PRIMARY KEY,
    private_key  bytea       NOT NULL,
    public_key   bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    retired_at   timestamptz
);

CREATE TABLE organizations (
    id            uuid        PRIMARY KEY,
    -- COLLATE "C": names sort byte by byte, as on SQLite, whatever the server's locale.
    name          text        COLLATE "C" NOT NULL,
    display_name  text        NOT NULL,
    -- display_name lowercased by Roster (full Unicode), for case-insensitive prefix search.
    display_name_folded text  COLLATE "C" NOT NULL,
    billing_email text,
    description   text,
    website       text,
    logo_url      text,
    address       jsonb       NOT NULL,
    reference     text,
    custom        jsonb       NOT NULL,
    state         text        NOT NULL,
    personal      boolean     NOT NULL DEFAULT false,
    visibility    text        NOT NULL DEFAULT 'private',
    max_members   bigint,
    max_api_keys  bigint,
    member_count  bigint      NOT NULL DEFAULT 0,
    version       bigint      NOT NULL DEFAULT 1,
    created_by    uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    closed_at     timestamptz
);
CREATE UNIQUE INDEX organizations_name_key ON organizations (name);
CREATE UNIQUE INDEX organizations_reference_key ON organizations (reference);
CREATE INDEX organizations_created_at_idx ON organizations (created_at, id);
CREATE INDEX organizations_display_name_folded_idx ON organizations (display_name_folded);

-- Refresh tokens, stored as SHA-256 hashes. One family per login; rotation marks the old
-- token used, and presenting a used token again revokes the whole family.
CREATE TABLE refresh_tokens (
    id              uuid        PRIMARY KEY,
    family_id       uuid        NOT NULL,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash      bytea       NOT NULL,
    organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    revoked_at      timestamptz
);
CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_organization_idx ON refresh_tokens (organization_id);

-- Names an organization had before a rename; they resolve (308) until someone takes them.
CREATE TABLE organization_former_names (
    name            text        PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL
);
CREATE INDEX organization_former_names_org_idx ON organization_former_names (organization_id);

CREATE TABLE memberships (
    organization_id uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            text        NOT NULL,
    permissions     jsonb       NOT NULL,
    expires_at      timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id, organization_id);

-- Idempotency-Key: the first response to a POST, replayed for a retry with the same key and
-- body within 24 hours. `status` is NULL while the first request is still running.
CREATE TABLE idempotency_keys (
    scope            text        NOT NULL,
    key              text        NOT NULL,
    request_hash     bytea       NOT NULL,
    status           integer,
    response_headers jsonb,
    response_body    bytea,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
