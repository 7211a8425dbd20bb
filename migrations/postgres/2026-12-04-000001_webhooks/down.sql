DROP TABLE background_jobs;
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DROP INDEX events_unsequenced_idx;
INSERT INTO event_counters (name, last) SELECT 'position', coalesce(max(position), 0) FROM events;
UPDATE events SET position = s.p
FROM (SELECT id, (SELECT coalesce(max(position), 0) FROM events) + row_number() OVER (ORDER BY id) AS p
      FROM events WHERE position IS NULL) s
WHERE events.id = s.id;
UPDATE event_counters SET last = (SELECT max(position) FROM events) WHERE name = 'position';
ALTER TABLE events ALTER COLUMN position SET NOT NULL;
