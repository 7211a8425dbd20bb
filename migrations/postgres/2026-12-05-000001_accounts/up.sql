-- Accounts people can trust: verified addresses, one-time tokens for verification and password
-- reset, the mail outbox, and throttling of what sends mail.

-- An address is the account's once proven (`email_verified_at`); a changed address waits in
-- `pending_email` until its owner proves it, and holds nothing meanwhile (no uniqueness).
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
ALTER TABLE users ADD COLUMN pending_email text COLLATE "C";

-- One-time tokens mailed to a user (`purpose`: verify_email, password_reset), stored as their
-- SHA-256 only. `email` is the address the token was sent to (and, for verify_email, proves).
CREATE TABLE account_tokens (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     text        NOT NULL,
    email       text        NOT NULL,
    token_hash  bytea       NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX account_tokens_token_hash_key ON account_tokens (token_hash);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose);
CREATE INDEX account_tokens_expires_at_idx ON account_tokens (expires_at);

-- Messages to send, written in the transaction that causes them and sent by the background
-- work. `data` holds the template values (JSON), emptied once the message is sent or has
-- failed for good. A link's one-time token is never stored in plaintext: `secret` holds it
-- sealed, with the key-encryption key (`sealed_by` null) or, without one, with a key only the
-- writing instance holds in memory (`sealed_by` = that instance). Should that instance be gone
-- before sending, another mints a new token for `token_ref` (what the token opens) instead.
-- `state`: pending, sent, failed, or dropped (nothing to send: a password reset asked for an
-- address without an account; the row forgets the address).
CREATE TABLE mail_outbox (
    id              uuid        PRIMARY KEY,
    kind            text        NOT NULL,
    recipient       text        NOT NULL,
    data            bytea       NOT NULL,
    secret          bytea,
    sealed_by       uuid,
    token_ref       text,
    state           text        NOT NULL,
    attempts        integer     NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    claimed_by      uuid,
    claimed_until   timestamptz,
    last_error      text,
    user_id         uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX mail_outbox_created_at_idx ON mail_outbox (created_at);
CREATE INDEX mail_outbox_user_idx ON mail_outbox (user_id);

-- Throttling of requests that send mail (password reset, resending a verification or an
-- invitation): one row per request let through, in a sliding window per `bucket` (a SHA-256 of
-- what is counted, so no address is kept here).
CREATE TABLE rate_hits (
    id      uuid        PRIMARY KEY,
    bucket  text        NOT NULL,
    hit_at  timestamptz NOT NULL
);
CREATE INDEX rate_hits_bucket_idx ON rate_hits (bucket, hit_at);
CREATE INDEX rate_hits_hit_at_idx ON rate_hits (hit_at);

-- An invitation may be declined by its invitee.
ALTER TABLE invitations ADD COLUMN declined_at timestamptz;
