-- One token bucket per rate-limited destination, shared by every replica (like rate_limit_buckets
-- for ingest); granted carries how many deliveries the last take let through, back via RETURNING.
CREATE TABLE destination_rate_buckets (
    destination_id uuid             PRIMARY KEY REFERENCES destinations (id) ON DELETE CASCADE,
    tokens         double precision NOT NULL,
    granted        integer          NOT NULL DEFAULT 0,
    refilled_at    timestamptz      NOT NULL
);
