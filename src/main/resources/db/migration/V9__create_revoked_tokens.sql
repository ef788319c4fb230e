-- Logged-out JWTs by jti, kept until they would have expired anyway.
CREATE TABLE revoked_tokens (
    jti        varchar(64) PRIMARY KEY, -- serves: RevokedToken.isRevoked (every authenticated request)
    expires_at timestamptz NOT NULL
);

-- serves: the clean-up of entries whose token has expired
CREATE INDEX revoked_tokens_expires_idx ON revoked_tokens (expires_at);
