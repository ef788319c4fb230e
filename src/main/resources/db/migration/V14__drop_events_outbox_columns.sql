-- Ingest now makes an event's delivery logs in the statement that stores it, so the logs are the
-- outbox: an event is no longer published, then started. What the broker loses, the due poller
-- finds among the pending logs. These columns and their indexes served the old outbox sweep.
DROP INDEX events_unpublished_idx;
DROP INDEX events_unstarted_idx;
ALTER TABLE events DROP COLUMN published_at, DROP COLUMN delivery_started_at;
