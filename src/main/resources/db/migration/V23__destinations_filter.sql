-- Optional per-destination filter: conditions on the event's JSON (path equals / in / exists), all
-- of which must hold for the event to be sent; null sends every event.
ALTER TABLE destinations ADD COLUMN filter jsonb;
