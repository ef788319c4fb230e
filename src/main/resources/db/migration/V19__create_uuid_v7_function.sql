-- UUID version 7 (RFC 9562: Unix milliseconds, then random bits) for the ids of delivery logs, which
-- ingest makes in SQL. Time-ordered keys are inserted at the right edge of the primary key index
-- instead of at random pages. PostgreSQL 18 has uuidv7(); this is the same layout for 15 and later.
CREATE FUNCTION uuid_v7() RETURNS uuid AS $$
    SELECT encode(
        set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                    FROM 1 FOR 6),
            52, 1), 53, 1),
        'hex')::uuid;
$$ LANGUAGE sql VOLATILE;
