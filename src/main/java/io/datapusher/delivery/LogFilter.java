package io.datapusher.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.datapusher.common.ApiException;
import io.datapusher.common.QueryParams;
import io.datapusher.ingest.Event;
import io.datapusher.ingest.IncomingData;

/**
 * The filters of GET /accounts/{id}/logs, each optional. Time ranges are half-open: {@code *_from}
 * is inclusive and {@code *_to} exclusive, so consecutive windows neither overlap nor leave gaps.
 */
public record LogFilter(
        UUID destinationId,
        DeliveryStatus status,
        String eventId,
        Instant receivedFrom,
        Instant receivedTo,
        Instant processedFrom,
        Instant processedTo) {

    /**
     * How far the clocks of two replicas may disagree: received_at is stamped by the replica that
     * took the event, processed_at by the one that delivered it.
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** PostgreSQL's timestamptz cannot hold all of Instant's range; refuse what it cannot compare. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    public static LogFilter parse(String destinationId, String status, String eventId, String receivedFrom,
            String receivedTo, String processedFrom, String processedTo) {
        Instant rFrom = instant("received_from", receivedFrom);
        Instant rTo = instant("received_to", receivedTo);
        Instant pFrom = instant("processed_from", processedFrom);
        Instant pTo = instant("processed_to", processedTo);
        requireOrdered("received_from", rFrom, "received_to", rTo);
        requireOrdered("processed_from", pFrom, "processed_to", pTo);
        return new LogFilter(QueryParams.uuidParam("destination_id", destinationId), status(status), eventId(eventId),
                rFrom, rTo, pFrom, pTo);
    }

    /**
     * An upper bound of received_at that {@code processed_to} implies: a log is processed after
     * it is received (give or take {@link #CLOCK_SKEW}). Stated outright in the query it bounds the
     * scan of the (account, received_at) index, which otherwise walks from the newest log down to
     * the processed window, because the planner does not know the two times are correlated.
     */
    public Instant receivedBeforeImpliedByProcessedTo() {
        if (processedTo == null) {
            return null;
        }
        Instant bound = processedTo.plus(CLOCK_SKEW);
        return storable(bound) ? bound : null;
    }

    static boolean storable(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    private static DeliveryStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return DeliveryStatus.fromCode(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status", "must be one of pending, success, failed, skipped");
        }
    }

    /** Matched exactly, as ingest stored it: no trimming, no case folding. */
    private static String eventId(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > Event.MAX_EVENT_ID_LENGTH) {
            throw ApiException.invalid("event_id", "must be at most " + Event.MAX_EVENT_ID_LENGTH + " characters");
        }
        // no stored event id holds anything else, and PostgreSQL refuses a NUL in a parameter
        if (!IncomingData.isValidEventId(value)) {
            throw ApiException.invalid("event_id", "must be printable ASCII characters, as CL-X-EVENT-ID is");
        }
        return value;
    }

    private static Instant instant(String name, String value) {
        Instant parsed = QueryParams.instantParam(name, value);
        if (parsed != null && !storable(parsed)) {
            throw ApiException.invalid(name, "must be between the years 0001 and 9999");
        }
        return parsed;
    }

    private static void requireOrdered(String fromName, Instant from, String toName, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw ApiException.invalid(fromName, "must not be after " + toName);
        }
    }
}
