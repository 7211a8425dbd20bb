-- Webhooks and background work. The PostgreSQL tree holds the same schema.

-- An event's global `position` is assigned after it commits, by the sequencer (see the
-- PostgreSQL migration). SQLite cannot drop a NOT NULL: the table is rebuilt.
CREATE TABLE events_new (
    id              TEXT_UUID      NOT NULL PRIMARY KEY,
    position        BIGINT,
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
INSERT INTO events_new SELECT id, position, stream, sequence, type, organization_id, actor_type,
    actor_id, actor_email, target_type, target_id, data, request_id, ip, user_agent, created_at
FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE UNIQUE INDEX events_position_key ON events (position);
CREATE UNIQUE INDEX events_stream_sequence_key ON events (stream, sequence);
CREATE INDEX events_organization_idx ON events (organization_id, position);
CREATE INDEX events_unsequenced_idx ON events (id) WHERE position IS NULL;
DELETE FROM event_counters WHERE name = 'position';

CREATE TABLE webhook_endpoints (
    id                    TEXT_UUID      NOT NULL PRIMARY KEY,
    url                   TEXT           NOT NULL,
    description           TEXT,
    event_types           TEXT_JSON      NOT NULL,
    organization_id       TEXT_UUID      REFERENCES organizations (id) ON DELETE CASCADE,
    enabled               BOOLEAN        NOT NULL,
    disabled_reason       TEXT,
    secret                BLOB           NOT NULL,
    previous_secret       BLOB,
    previous_secret_until TEXT_TIMESTAMP,
    failing_since         TEXT_TIMESTAMP,
    created_at            TEXT_TIMESTAMP NOT NULL,
    updated_at            TEXT_TIMESTAMP NOT NULL
);

CREATE TABLE webhook_deliveries (
    id                   TEXT_UUID      NOT NULL PRIMARY KEY,
    endpoint_id          TEXT_UUID      NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id             TEXT_UUID,
    event_type           TEXT           NOT NULL,
    payload              TEXT_JSON,
    status               TEXT           NOT NULL,
    attempts             INTEGER        NOT NULL,
    next_attempt_at      TEXT_TIMESTAMP,
    leased_by            TEXT_UUID,
    leased_until         TEXT_TIMESTAMP,
    last_response_status INTEGER,
    last_error           TEXT,
    created_at           TEXT_TIMESTAMP NOT NULL,
    delivered_at         TEXT_TIMESTAMP
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id);

CREATE TABLE webhook_attempts (
    delivery_id     TEXT_UUID      NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number          INTEGER        NOT NULL,
    started_at      TEXT_TIMESTAMP NOT NULL,
    duration_ms     BIGINT         NOT NULL,
    response_status INTEGER,
    error           TEXT,
    PRIMARY KEY (delivery_id, number)
);
CREATE INDEX webhook_attempts_started_idx ON webhook_attempts (started_at);

CREATE TABLE background_jobs (
    name         TEXT           NOT NULL PRIMARY KEY,
    leased_by    TEXT_UUID,
    leased_until TEXT_TIMESTAMP,
    last_run_at  TEXT_TIMESTAMP
);
