package io.datapusher.ingest;

import java.util.UUID;

/** What became of one request to POST /server/incoming_data once it passed every check. */
public sealed interface Intake {

    /** Stored (or already stored: {@code duplicate}); {@code eventRef} is our id of a new event. */
    record Accepted(UUID eventRef, boolean duplicate) implements Intake {
    }

    /** Over the account's rate; nothing was stored. */
    record Limited(long retryAfterSeconds) implements Intake {
    }

    /** The account was deleted after its token was looked up; nothing was stored. */
    record AccountGone() implements Intake {
    }
}
