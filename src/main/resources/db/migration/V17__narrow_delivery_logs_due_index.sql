-- The due poller's index, narrowed to logs that have a due time (every pending log has one). The
-- poller's "next_attempt_at <= now()" still matches it; statements that only check that a log is
-- pending (claiming an event's logs, writing outcomes) no longer can. With a backlog they chose it
-- anyway, and scanned every pending log for each batch: measured at 88 % of a core for 500
-- outcomes with 30,000 logs pending (bench/throughput.sh, three destinations).
DROP INDEX delivery_logs_due_idx;
CREATE INDEX delivery_logs_due_idx ON delivery_logs (next_attempt_at)
    WHERE status = 'pending' AND next_attempt_at IS NOT NULL;
