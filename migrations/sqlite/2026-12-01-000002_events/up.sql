-- The audit log: every change Roster makes, written in the transaction that makes it.
-- Append-only. No foreign keys: events outlive what they describe (a deleted organization's
-- events stay readable by platform admins).
--
-- `position` orders all events, `sequence` those of one stream: an organization's events
-- (`stream` = its id) or the platform's (`stream` = the nil UUID: users, sessions). Both are
-- taken from `event_counters` inside the writing transaction (SQLite has one writer at a
-- time), so the numbers have no gaps and grow in commit order.
CREATE TABLE events (
    id              TEXT_UUID      NOT NULL PRIMARY KEY,
    position        BIGINT         NOT NULL,
    stream          TEXT_UUID      NOT NULL,
    sequence        BIGINT         NOT NULL,
    type            TEXT           NOT NULL,
    organization_id TEXT_UUID,
    actor_type      TEXT           NOT NULL,
    actor_id        TEXT_UUID,
    actor_email     TEXT,
    target_type     TEXT           NOT NULL,
    target_id       TEXT           NOT NULL,
    data            TEXT_JSON      NOT NULL,
    request_id      TEXT,
    ip              TEXT,
    user_agent      TEXT,
    created_at      TEXT_TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX events_position_key ON events (position);
CREATE UNIQUE INDEX events_stream_sequence_key ON events (stream, sequence);
CREATE INDEX events_organization_idx ON events (organization_id, position);

CREATE TABLE event_counters (
    name TEXT   NOT NULL PRIMARY KEY,
    last BIGINT NOT NULL
);
