package io.datapusher.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.SqlLiterals;
import io.datapusher.destination.DestinationConfig;
import io.quarkus.logging.Log;

/**
 * Each destination's health, written with the outcomes that change it: failed attempts in a row,
 * since when, the last failure and the last success. A destination answering 410 Gone, or whose
 * attempts have all failed for {@code disable-after}, is disabled here. Successes are written at
 * most every {@code health-success-interval} per destination unless they end a run of failures this
 * replica saw, so a healthy destination costs no row update per delivery.
 */
@ApplicationScoped
class EndpointHealth {
    static final int GONE = 410;

    private final String update;
    private final long successIntervalNanos;
    /** When this replica last wrote a success per destination; removed when it sees a failure. */
    private final Map<UUID, Long> successWrittenAt = new ConcurrentHashMap<>();

    EndpointHealth(DestinationConfig config) {
        this.successIntervalNanos = config.healthSuccessInterval().toNanos();
        String due = "COALESCE(d.failing_since <= now() - %s, false)".formatted(
                SqlLiterals.interval(config.disableAfter()));
        String keepsFailing = "(h.failures > 0 AND NOT h.succeeded AND " + due + ")";
        String disables = "d.enabled AND (h.gone OR " + keepsFailing + ")";
        this.update = """
                WITH h AS (
                    SELECT * FROM unnest(?::uuid[], ?::boolean[], ?::int[], ?::boolean[])
                                  AS h (destination_id, succeeded, failures, gone)
                ), locked AS MATERIALIZED (
                    SELECT id FROM destinations WHERE id IN (SELECT destination_id FROM h) ORDER BY id FOR UPDATE
                )
                UPDATE destinations d
                SET last_success_at = CASE WHEN h.succeeded THEN now() ELSE d.last_success_at END,
                    consecutive_failures = CASE WHEN h.succeeded THEN h.failures
                                                ELSE d.consecutive_failures + h.failures END,
                    failing_since = CASE WHEN h.failures = 0 THEN NULL WHEN h.succeeded THEN now()
                                         ELSE COALESCE(d.failing_since, now()) END,
                    last_failure_at = CASE WHEN h.failures > 0 THEN now() ELSE d.last_failure_at END,
                    enabled = d.enabled AND NOT (%1$s),
                    disabled_reason = CASE WHEN %1$s THEN
                                          CASE WHEN h.gone THEN 'it answered 410 Gone'
                                               ELSE 'every attempt failed for %2$s' END
                                      ELSE d.disabled_reason END,
                    disabled_at = CASE WHEN %1$s THEN now() ELSE d.disabled_at END
                FROM h
                WHERE d.id = h.destination_id AND d.id IN (SELECT id FROM locked)
                RETURNING d.id, NOT d.enabled AND d.disabled_at = now(), d.disabled_reason""".formatted(disables,
                describe(config.disableAfter()));
    }

    /** What a batch of outcomes tells about one destination, in the order the attempts ended. */
    private static final class Change {
        boolean succeeded;
        /** Failures after the last success in the batch (all of them if none succeeded). */
        int failures;
        boolean gone;
    }

    /** Writes the health changes of these written outcomes, in the outcomes' transaction. */
    void write(Connection connection, List<OutcomeRecorder.Outcome> written) throws SQLException {
        Map<UUID, Change> changes = changes(written);
        if (changes.isEmpty()) {
            return;
        }
        int n = changes.size();
        UUID[] ids = new UUID[n];
        Boolean[] succeeded = new Boolean[n];
        Integer[] failures = new Integer[n];
        Boolean[] gone = new Boolean[n];
        int i = 0;
        for (Map.Entry<UUID, Change> entry : changes.entrySet()) {
            ids[i] = entry.getKey();
            succeeded[i] = entry.getValue().succeeded;
            failures[i] = entry.getValue().failures;
            gone[i] = entry.getValue().gone;
            i++;
        }
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            statement.setArray(1, connection.createArrayOf("uuid", ids));
            statement.setArray(2, connection.createArrayOf("boolean", succeeded));
            statement.setArray(3, connection.createArrayOf("integer", failures));
            statement.setArray(4, connection.createArrayOf("boolean", gone));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (rows.getBoolean(2)) {
                        Log.warnf("Destination %s disabled: %s; its deliveries are skipped until an admin enables it",
                                rows.getObject(1, UUID.class), rows.getString(3));
                    }
                }
            }
        }
    }

    /** Destinations whose health these outcomes change, in id order; successes only when due. */
    private Map<UUID, Change> changes(List<OutcomeRecorder.Outcome> written) {
        List<OutcomeRecorder.Outcome> attempted = new ArrayList<>();
        for (OutcomeRecorder.Outcome o : written) {
            if (o.outcome().attempted()) {
                attempted.add(o);
            }
        }
        attempted.sort(Comparator.comparingLong(OutcomeRecorder.Outcome::endedNanos));
        Map<UUID, Change> changes = new TreeMap<>();
        for (OutcomeRecorder.Outcome o : attempted) {
            Change change = changes.computeIfAbsent(o.delivery().destinationId(), id -> new Change());
            if (o.outcome().kind() == AttemptOutcome.Kind.SUCCESS) {
                change.succeeded = true;
                change.failures = 0;
            } else {
                change.failures++;
                Integer status = o.outcome().responseStatus();
                change.gone |= status != null && status == GONE;
            }
        }
        long now = System.nanoTime();
        changes.entrySet().removeIf(entry -> {
            UUID id = entry.getKey();
            Change change = entry.getValue();
            if (change.failures > 0) {
                successWrittenAt.remove(id);
                return false;
            }
            Long last = successWrittenAt.get(id);
            if (last != null && now - last < successIntervalNanos) {
                return true;
            }
            successWrittenAt.put(id, now);
            return false;
        });
        return changes;
    }

    /** "24h", "90m", "30s": how the disabling reason names the window. */
    static String describe(Duration window) {
        long seconds = window.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
