-- Ingest takes tokens for a whole batch of requests in one UPDATE; this column carries how many it
-- granted to the account's requests in that batch back through RETURNING (which sees only the new row).
ALTER TABLE rate_limit_buckets ADD COLUMN granted integer NOT NULL DEFAULT 0;
