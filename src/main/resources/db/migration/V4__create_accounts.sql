CREATE TABLE accounts (
    id               uuid         PRIMARY KEY,
    name             varchar(200) NOT NULL,
    website          varchar(2048),
    app_secret_token varchar(128) NOT NULL,
    created_at       timestamptz  NOT NULL,
    updated_at       timestamptz  NOT NULL,
    created_by       uuid         NOT NULL REFERENCES users (id),
    updated_by       uuid         NOT NULL REFERENCES users (id)
);

-- serves: Account.findByToken (every POST /server/incoming_data)
CREATE UNIQUE INDEX accounts_app_secret_token_uq ON accounts (app_secret_token);
