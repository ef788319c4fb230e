-- The place of a delivery in its ordered destination's queue; null for unordered deliveries. One
-- sequence for all: nextval is monotonic across sessions only without a per-session cache (CACHE 1),
-- so an event accepted after another's commit always gets a later place.
CREATE SEQUENCE delivery_logs_fifo_seq AS bigint CACHE 1;

ALTER TABLE delivery_logs ADD COLUMN fifo_seq bigint;

-- serves: "is an earlier delivery to this ordered destination still pending?" (the claims) and
-- "which one is at the head?" (the due poller, the log API's waiting_for). Only pending ordered
-- logs are in it, so unordered traffic never writes to it.
CREATE INDEX delivery_logs_fifo_queue_idx ON delivery_logs (destination_id, fifo_seq)
    WHERE status = 'pending' AND fifo_seq IS NOT NULL;
