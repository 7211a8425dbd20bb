-- Webhooks and background work. The SQLite tree holds the same schema.

-- An event's global `position` is no longer taken inside its writing transaction (every
-- writer queued on one counter row until its commit). Events are written without one; the
-- sequencer (roster_store::outbox) numbers committed events in batches, one batch at a time,
-- so positions still have no gaps and a reader paging with `after` never misses an event
-- that committed late. The per-organization `sequence` is still taken in the transaction.
ALTER TABLE events ALTER COLUMN position DROP NOT NULL;
CREATE INDEX events_unsequenced_idx ON events (id) WHERE position IS NULL;
DELETE FROM event_counters WHERE name = 'position';

-- Where events are sent. `secret` (and `previous_secret`, which signs beside it until
-- `previous_secret_until` after a rotation) is sealed with the key-encryption key when the
-- server has one, as the signing keys are.
CREATE TABLE webhook_endpoints (
    id                    uuid        PRIMARY KEY,
    url                   text        NOT NULL,
    description           text,
    event_types           jsonb       NOT NULL,
    organization_id       uuid        REFERENCES organizations (id) ON DELETE CASCADE,
    enabled               boolean     NOT NULL,
    disabled_reason       text,
    secret                bytea       NOT NULL,
    previous_secret       bytea,
    previous_secret_until timestamptz,
    -- Since when every attempt has failed (cleared by a success); 5 days of it disables.
    failing_since         timestamptz,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

-- One event (or test message) to one endpoint. A delivery is claimed for one attempt by
-- setting `leased_by` and `leased_until` (no lock is held during the HTTP call); a claim
-- whose instance died expires and the delivery is claimed again.
CREATE TABLE webhook_deliveries (
    id                   uuid        PRIMARY KEY,
    endpoint_id          uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id             uuid,
    event_type           text        NOT NULL,
    -- The message's `data` for a delivery without an event (the test message).
    payload              jsonb,
    status               text        NOT NULL,
    attempts             integer     NOT NULL,
    next_attempt_at      timestamptz,
    leased_by            uuid,
    leased_until         timestamptz,
    last_response_status integer,
    last_error           text,
    created_at           timestamptz NOT NULL,
    delivered_at         timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id);

CREATE TABLE webhook_attempts (
    delivery_id     uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number          integer     NOT NULL,
    started_at      timestamptz NOT NULL,
    duration_ms     bigint      NOT NULL,
    response_status integer,
    error           text,
    PRIMARY KEY (delivery_id, number)
);
CREATE INDEX webhook_attempts_started_idx ON webhook_attempts (started_at);

-- Periodic background jobs: whichever instance claims a job's row runs it; the claim is a
-- lease, so a job whose instance died runs again elsewhere once it expires.
CREATE TABLE background_jobs (
    name         text        PRIMARY KEY,
    leased_by    uuid,
    leased_until timestamptz,
    last_run_at  timestamptz
);
