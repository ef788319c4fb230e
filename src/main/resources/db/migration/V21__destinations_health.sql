-- Endpoint health, kept by the outcome recorder: failed attempts in a row since the last success
-- and since when. A destination that keeps failing (datapusher.destinations.disable-after) or
-- answers 410 Gone is disabled: nothing is sent to it, and its new deliveries are logged skipped.
ALTER TABLE destinations
    ADD COLUMN enabled              boolean      NOT NULL DEFAULT true,
    ADD COLUMN disabled_reason      varchar(200),
    ADD COLUMN disabled_at          timestamptz,
    ADD COLUMN consecutive_failures integer      NOT NULL DEFAULT 0,
    ADD COLUMN failing_since        timestamptz,
    ADD COLUMN last_failure_at      timestamptz,
    ADD COLUMN last_success_at      timestamptz;
