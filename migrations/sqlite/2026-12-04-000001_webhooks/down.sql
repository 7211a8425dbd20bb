DROP TABLE background_jobs;
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DROP INDEX events_unsequenced_idx;
UPDATE events SET position = (SELECT coalesce(max(position), 0) FROM events)
    + (SELECT count(*) FROM events e WHERE e.position IS NULL AND e.id <= events.id)
WHERE position IS NULL;
INSERT INTO event_counters (name, last) SELECT 'position', coalesce(max(position), 0) FROM events;
