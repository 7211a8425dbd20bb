-- The audit log: every change Roster makes, written in the transaction that makes it.
-- Append-only. No foreign keys: events outlive what they describe (a deleted organization's
-- events stay readable by platform admins).
--
-- `position` orders all events, `sequence` those of one stream: an organization's events
-- (`stream` = its id) or the platform's (`stream` = the nil UUID: users, sessions). Both are
-- taken from `event_counters` inside the writing transaction, whose row lock orders writers:
-- the numbers have no gaps and grow in commit order, so a reader paging with `after` never
-- skips an event that committed late.
CREATE TABLE events (
    id              uuid        PRIMARY KEY,
    position        bigint      NOT NULL,
    stream          uuid        NOT NULL,
    sequence        bigint      NOT NULL,
    type            text        COLLATE "C" NOT NULL,
    organization_id uuid,
    actor_type      text        NOT NULL,
    actor_id        uuid,
    actor_email     text,
    target_type     text        NOT NULL,
    target_id       text        NOT NULL,
    data            jsonb       NOT NULL,
    request_id      text,
    ip              text,
    user_agent      text,
    created_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX events_position_key ON events (position);
CREATE UNIQUE INDEX events_stream_sequence_key ON events (stream, sequence);
CREATE INDEX events_organization_idx ON events (organization_id, position);

CREATE TABLE event_counters (
    name text   PRIMARY KEY,
    last bigint NOT NULL
);
