DROP TABLE event_counters;
DROP TABLE events;
