-- Signing-secret rotation with overlap: the secret replaced by a rotation keeps signing deliveries,
-- beside the new one, until previous_secret_expires_at, so receivers can switch without a gap.
ALTER TABLE destinations
    ADD COLUMN previous_signing_secret    varchar(128),
    ADD COLUMN previous_secret_expires_at timestamptz;
