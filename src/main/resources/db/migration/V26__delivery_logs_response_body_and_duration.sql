-- What the last attempt's answer said and how long it took, for debugging a delivery: the first
-- 256 characters of the response body, and milliseconds from connect to the end of what was read.
ALTER TABLE delivery_logs
    ADD COLUMN response_body varchar(256),
    ADD COLUMN duration_ms   integer;
