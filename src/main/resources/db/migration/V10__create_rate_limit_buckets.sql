-- One token bucket per account for POST /server/incoming_data, shared by every replica.
CREATE TABLE rate_limit_buckets (
    account_id  uuid             PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    tokens      double precision NOT NULL,
    refilled_at timestamptz      NOT NULL
);
