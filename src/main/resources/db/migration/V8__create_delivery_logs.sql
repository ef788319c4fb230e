-- One log per (event, destination): the state of that delivery and its attempts.
CREATE TABLE delivery_logs (
    id               uuid         PRIMARY KEY,
    event_ref        uuid         NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    account_id       uuid         NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    destination_id   uuid         NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
    event_id         varchar(255) NOT NULL,
    status           varchar(16)  NOT NULL CHECK (status IN ('pending', 'success', 'failed')),
    attempts         integer      NOT NULL DEFAULT 0,
    attempt_limit    integer      NOT NULL,
    response_status  integer,
    error            varchar(500),
    received_at      timestamptz  NOT NULL,
    processed_at     timestamptz,
    next_attempt_at  timestamptz,
    lease_until      timestamptz,
    created_at       timestamptz  NOT NULL,
    updated_at       timestamptz  NOT NULL
);

-- serves: the fan-out's "insert ... on conflict do nothing", so a second copy of a message
-- creates no second log.
CREATE UNIQUE INDEX delivery_logs_event_destination_uq ON delivery_logs (event_ref, destination_id);

-- serves: GET /accounts/{id}/logs, newest first, keyset paged on (received_at, id);
-- also the received_from/received_to filters.
CREATE INDEX delivery_logs_account_received_idx ON delivery_logs (account_id, received_at DESC, id DESC);

-- serves: the same list filtered by destination_id
CREATE INDEX delivery_logs_destination_received_idx ON delivery_logs (destination_id, received_at DESC, id DESC);

-- serves: the same list filtered by status
CREATE INDEX delivery_logs_account_status_received_idx
    ON delivery_logs (account_id, status, received_at DESC, id DESC);

-- serves: the same list filtered by event_id
CREATE INDEX delivery_logs_account_event_id_idx ON delivery_logs (account_id, event_id);

-- serves: the processed_from/processed_to filters
CREATE INDEX delivery_logs_account_processed_idx ON delivery_logs (account_id, processed_at DESC);

-- serves: the retry poller, which claims pending logs whose next attempt is due
CREATE INDEX delivery_logs_due_idx ON delivery_logs (next_attempt_at) WHERE status = 'pending';
