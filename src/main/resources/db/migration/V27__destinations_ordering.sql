-- Ordered delivery, opt-in per destination: 'fifo' sends the account's events to it one at a time,
-- in the order they were accepted; 'unordered' (the default) sends them as they come, in parallel.
ALTER TABLE destinations
    ADD COLUMN ordering varchar(16) NOT NULL DEFAULT 'unordered' CHECK (ordering IN ('unordered', 'fifo'));

-- serves: the due poller's look at the head of each ordered destination's queue
CREATE INDEX destinations_fifo_idx ON destinations (id) WHERE ordering = 'fifo';
