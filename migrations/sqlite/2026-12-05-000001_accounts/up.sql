-- Accounts people can trust. The PostgreSQL tree holds the same schema, explained.
ALTER TABLE users ADD COLUMN email_verified_at TEXT_TIMESTAMP;
ALTER TABLE users ADD COLUMN pending_email TEXT;

CREATE TABLE account_tokens (
    id          TEXT_UUID      NOT NULL PRIMARY KEY,
    user_id     TEXT_UUID      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT           NOT NULL,
    email       TEXT           NOT NULL,
    token_hash  BLOB           NOT NULL,
    expires_at  TEXT_TIMESTAMP NOT NULL,
    used_at     TEXT_TIMESTAMP,
    created_at  TEXT_TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX account_tokens_token_hash_key ON account_tokens (token_hash);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose);
CREATE INDEX account_tokens_expires_at_idx ON account_tokens (expires_at);

CREATE TABLE mail_outbox (
    id              TEXT_UUID      NOT NULL PRIMARY KEY,
    kind            TEXT           NOT NULL,
    recipient       TEXT           NOT NULL,
    data            BLOB           NOT NULL,
    secret          BLOB,
    sealed_by       TEXT_UUID,
    token_ref       TEXT,
    state           TEXT           NOT NULL,
    attempts        INTEGER        NOT NULL,
    next_attempt_at TEXT_TIMESTAMP NOT NULL,
    claimed_by      TEXT_UUID,
    claimed_until   TEXT_TIMESTAMP,
    last_error      TEXT,
    user_id         TEXT_UUID      REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT_TIMESTAMP NOT NULL,
    finished_at     TEXT_TIMESTAMP
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX mail_outbox_created_at_idx ON mail_outbox (created_at);
CREATE INDEX mail_outbox_user_idx ON mail_outbox (user_id);

CREATE TABLE rate_hits (
    id      TEXT_UUID      NOT NULL PRIMARY KEY,
    bucket  TEXT           NOT NULL,
    hit_at  TEXT_TIMESTAMP NOT NULL
);
CREATE INDEX rate_hits_bucket_idx ON rate_hits (bucket, hit_at);
CREATE INDEX rate_hits_hit_at_idx ON rate_hits (hit_at);

ALTER TABLE invitations ADD COLUMN declined_at TEXT_TIMESTAMP;
