-- One row per accepted POST /server/incoming_data. It is also the transactional outbox:
-- published_at is null until the event was handed to the broker.
CREATE TABLE events (
    id                  uuid         PRIMARY KEY,
    account_id          uuid         NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event_id            varchar(255) NOT NULL,
    payload             bytea        NOT NULL,
    received_at         timestamptz  NOT NULL,
    published_at        timestamptz,
    delivery_started_at timestamptz
);

-- serves: duplicate detection of CL-X-EVENT-ID per account (insert ... on conflict)
CREATE UNIQUE INDEX events_account_event_id_uq ON events (account_id, event_id);

-- serves: the outbox sweep, which looks only at events not yet handed over, or handed
-- over but not yet started; both sets stay small, so do these partial indexes.
CREATE INDEX events_unpublished_idx ON events (received_at) WHERE published_at IS NULL;
CREATE INDEX events_unstarted_idx ON events (published_at)
    WHERE published_at IS NOT NULL AND delivery_started_at IS NULL;
