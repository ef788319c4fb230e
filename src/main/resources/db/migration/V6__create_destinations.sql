CREATE TABLE destinations (
    id             uuid          PRIMARY KEY,
    account_id     uuid          NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    url            varchar(2048) NOT NULL,
    http_method    varchar(8)    NOT NULL CHECK (http_method IN ('GET', 'POST', 'PUT')),
    headers        jsonb         NOT NULL DEFAULT '{}'::jsonb,
    signing_secret varchar(128)  NOT NULL,
    created_at     timestamptz   NOT NULL,
    updated_at     timestamptz   NOT NULL,
    created_by     uuid          NOT NULL REFERENCES users (id),
    updated_by     uuid          NOT NULL REFERENCES users (id)
);

-- serves: Destination.listByAccount (GET .../destinations, and the fan-out of every event)
CREATE INDEX destinations_account_idx ON destinations (account_id, created_at);
