-- Ordered deliveries are claimed only at the head of their destination's queue (through
-- delivery_logs_fifo_queue_idx), never by due time: kept in the due index, the ones waiting behind a
-- failing head would be read and thrown away by every poll of every replica.
DROP INDEX delivery_logs_due_idx;
CREATE INDEX delivery_logs_due_idx ON delivery_logs (next_attempt_at)
    WHERE status = 'pending' AND next_attempt_at IS NOT NULL AND fifo_seq IS NULL;
