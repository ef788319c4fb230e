-- A delivery that was not sent on purpose (destination disabled, or its filter did not match) ends
-- "skipped". NOT VALID, then VALIDATE: the check of existing rows does not hold the table's
-- exclusive lock while it scans.
ALTER TABLE delivery_logs DROP CONSTRAINT delivery_logs_status_check;
ALTER TABLE delivery_logs ADD CONSTRAINT delivery_logs_status_check
    CHECK (status IN ('pending', 'success', 'failed', 'skipped')) NOT VALID;
ALTER TABLE delivery_logs VALIDATE CONSTRAINT delivery_logs_status_check;
