-- Fences each claim of a log: whoever claims it (the consumer of its message, or the due poller)
-- sets a new token, and an outcome is written only by the holder of the current token, so a
-- holder whose lease lapsed can never overwrite a newer claim's outcome.
ALTER TABLE delivery_logs ADD COLUMN claim_token uuid;
