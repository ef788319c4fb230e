package io.datapusher.delivery;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.common.SqlLiterals;
import io.datapusher.destination.DeliveryMethod;
import io.datapusher.destination.EventFilter;
import io.datapusher.destination.FilterCondition;

/**
 * Who may attempt a pending log, in plain SQL on the hot path. A claim leases logs
 * ({@code lease_until}) and fences them with a new {@code claim_token}, in one statement that also
 * reads what the attempts need (payload, destination); other claimers skip the locked rows. Logs
 * are claimed by the consumer of their event's broker message (new logs, not attempted yet) or by
 * the due poller (retries, redeliveries, logs whose message was lost, leases that ran out).
 */
@ApplicationScoped
public class DeliveryClaims {
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };
    private static final TypeReference<List<FilterCondition>> CONDITIONS = new TypeReference<>() {
    };

    private static final String READ = """
            SELECT c.id, c.destination_id, c.event_id, c.attempts, c.attempt_limit, e.payload, d.http_method, d.url,
                   d.headers::text, d.signing_secret, c.received_at,
                   CASE WHEN d.previous_secret_expires_at > now() THEN d.previous_signing_secret END,
                   CASE WHEN NOT d.enabled THEN COALESCE(d.disabled_reason, 'disabled') END, d.filter::text,
                   d.max_per_second, c.fifo_seq IS NOT NULL
            FROM claimed c JOIN events e ON e.id = c.event_ref JOIN destinations d ON d.id = c.destination_id""";

    /**
     * A log of a {@code fifo} destination may go only when no earlier one to it is pending (held,
     * retrying or not attempted yet); so at most one is in flight per destination, in queue order.
     */
    private static final String AT_QUEUE_HEAD = """
            (%1$s.fifo_seq IS NULL OR NOT EXISTS (SELECT 1 FROM delivery_logs p
                                                  WHERE p.destination_id = %1$s.destination_id AND p.status = 'pending'
                                                    AND p.fifo_seq < %1$s.fifo_seq))""";

    private final String claimNew;
    private final String claimDue;
    private final String claimHeadsDue;
    private final String claimHeadsOf;
    private final DataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();
    private final Duration lease;

    DeliveryClaims(DataSource dataSource, DeliveryConfig config) {
        this.dataSource = dataSource;
        // Long enough for DNS, the attempt's deadline and writing the outcome; a replica that
        // died mid-attempt lets another take the log over after it.
        this.lease = config.timeout().multipliedBy(2).plusSeconds(10);
        String set = "SET lease_until = now() + %s, claim_token = ?, updated_at = now()"
                .formatted(SqlLiterals.interval(lease));
        // Each event's logs are found through the (event_ref, destination_id) index, one event at a
        // time: asked for all the events at once ("event_ref = ANY"), the planner preferred scanning
        // every pending log once a backlog had built up.
        this.claimNew = """
                WITH claimed AS (
                    UPDATE delivery_logs %s
                    WHERE id IN (SELECT l.id FROM unnest(?::uuid[]) AS r (event_ref)
                                 CROSS JOIN LATERAL (SELECT n.id FROM delivery_logs n
                                                     WHERE n.event_ref = r.event_ref AND n.status = 'pending'
                                                       AND n.attempts = 0
                                                       AND (n.lease_until IS NULL OR n.lease_until < now())
                                                       AND %s
                                                     FOR UPDATE OF n SKIP LOCKED) l
                                 LIMIT ?)
                    RETURNING id, event_ref, destination_id, event_id, attempts, attempt_limit, received_at, fifo_seq
                )
                %s""".formatted(set, AT_QUEUE_HEAD.formatted("n"), READ);
        // No ORDER BY: the due index yields the oldest first anyway, and when the planner reads it
        // as a bitmap instead, a sort would cost every due log on each claim.
        this.claimDue = """
                WITH claimed AS (
                    UPDATE delivery_logs %s
                    WHERE id IN (SELECT id FROM delivery_logs
                                 WHERE status = 'pending' AND next_attempt_at <= now() AND fifo_seq IS NULL
                                   AND (lease_until IS NULL OR lease_until < now())
                                 LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING id, event_ref, destination_id, event_id, attempts, attempt_limit, received_at, fifo_seq
                )
                %s""".formatted(set, READ);
        this.claimHeadsDue = claimHeads(set, "d.ordering = 'fifo'");
        this.claimHeadsOf = claimHeads(set, "d.id = ANY (?::uuid[])");
    }

    /**
     * The head of each ordered destination's queue (its earliest pending log) when no one holds it
     * and it is due, or never attempted when {@code ?} (the advance after its predecessor ended).
     * Heads are found without locks, then locked and checked again: SKIP LOCKED inside the ordered
     * look-up would pass over a held head and take the one behind it.
     */
    private static String claimHeads(String set, String destinations) {
        return """
                WITH claimed AS (
                    UPDATE delivery_logs %s
                    WHERE id IN (SELECT l.id FROM delivery_logs l
                                 WHERE l.id IN (SELECT h.id FROM destinations d
                                                CROSS JOIN LATERAL (SELECT id, attempts, next_attempt_at, lease_until
                                                                    FROM delivery_logs
                                                                    WHERE destination_id = d.id AND status = 'pending'
                                                                      AND fifo_seq IS NOT NULL
                                                                    ORDER BY fifo_seq LIMIT 1) h
                                                WHERE %s
                                                  AND (h.lease_until IS NULL OR h.lease_until < now())
                                                  AND (h.next_attempt_at <= now() OR (? AND h.attempts = 0)))
                                   AND l.status = 'pending' AND (l.lease_until IS NULL OR l.lease_until < now())
                                 LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING id, event_ref, destination_id, event_id, attempts, attempt_limit, received_at, fifo_seq
                )
                %s""".formatted(set, destinations, READ);
    }

    /** How long a claim holds its logs. */
    Duration lease() {
        return lease;
    }

    /** Claims up to {@code limit} of these events' logs that no one has attempted or holds. */
    List<Delivery> claimNew(Collection<UUID> eventRefs, int limit) {
        if (limit <= 0 || eventRefs.isEmpty()) {
            return List.of();
        }
        UUID token = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement(claimNew)) {
            claim.setObject(1, token);
            claim.setArray(2, connection.createArrayOf("uuid", eventRefs.toArray()));
            claim.setInt(3, limit);
            return read(claim, token);
        } catch (SQLException e) {
            throw DatabaseErrors.unchecked(e);
        }
    }

    /** Claims up to {@code limit} pending logs that are due, oldest due first. */
    List<Delivery> claimDue(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        UUID token = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement(claimDue)) {
            claim.setObject(1, token);
            claim.setInt(2, limit);
            return read(claim, token);
        } catch (SQLException e) {
            throw DatabaseErrors.unchecked(e);
        }
    }

    /** Claims the heads of every ordered destination's queue that are due (retries, lost messages, lapsed leases). */
    List<Delivery> claimDueHeads(int limit) {
        return claimHeads(claimHeadsDue, null, limit);
    }

    /** Claims the new heads of these destinations' queues, their predecessors having just ended. */
    List<Delivery> claimNextHeads(Collection<UUID> destinationIds, int limit) {
        return destinationIds.isEmpty() ? List.of() : claimHeads(claimHeadsOf, destinationIds, limit);
    }

    private List<Delivery> claimHeads(String sql, Collection<UUID> destinationIds, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        UUID token = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement(sql)) {
            int i = 1;
            claim.setObject(i++, token);
            if (destinationIds != null) {
                claim.setArray(i++, connection.createArrayOf("uuid", destinationIds.toArray()));
            }
            claim.setBoolean(i++, destinationIds != null);
            claim.setInt(i, limit);
            return read(claim, token);
        } catch (SQLException e) {
            throw DatabaseErrors.unchecked(e);
        }
    }

    /** Whether any of these events exists in this database (for messages left by another one). */
    boolean anyEventExists(Collection<UUID> eventRefs) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection
                        .prepareStatement("SELECT EXISTS (SELECT 1 FROM events WHERE id = ANY (?))")) {
            query.setArray(1, connection.createArrayOf("uuid", eventRefs.toArray()));
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        } catch (SQLException e) {
            throw DatabaseErrors.unchecked(e);
        }
    }

    /**
     * Gives claimed logs back without an attempt (e.g. on shutdown), due at once, so that another
     * replica's poller takes them now; only while this claim still holds them.
     */
    void release(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement release = connection.prepareStatement("""
                        UPDATE delivery_logs l
                        SET lease_until = NULL, claim_token = NULL, next_attempt_at = LEAST(l.next_attempt_at, now())
                        FROM unnest(?::uuid[], ?::uuid[]) AS r (id, claim_token)
                        WHERE l.id = r.id AND l.claim_token = r.claim_token AND l.status = 'pending'""")) {
            release.setArray(1, connection.createArrayOf("uuid", deliveries.stream().map(Delivery::logId).toArray()));
            release.setArray(2,
                    connection.createArrayOf("uuid", deliveries.stream().map(Delivery::claimToken).toArray()));
            release.executeUpdate();
        } catch (SQLException e) {
            throw DatabaseErrors.unchecked(e);
        }
    }

    private List<Delivery> read(PreparedStatement claim, UUID token) throws SQLException {
        List<Delivery> claimed = new ArrayList<>();
        try (ResultSet rows = claim.executeQuery()) {
            long now = System.nanoTime();
            while (rows.next()) {
                claimed.add(new Delivery(rows.getObject(1, UUID.class), token, now, rows.getObject(2, UUID.class),
                        rows.getString(3), rows.getInt(4), rows.getInt(5), DeliveryMethod.valueOf(rows.getString(7)),
                        rows.getString(8), headers(rows.getString(9)), secrets(rows.getString(10), rows.getString(12)),
                        rows.getBytes(6), rows.getObject(11, OffsetDateTime.class).toInstant(),
                        settings(rows.getString(13), rows.getString(14), rows.getObject(15, Integer.class)),
                        rows.getBoolean(16)));
            }
        }
        return claimed;
    }

    /** The current secret, then the one a rotation replaced while it still signs. */
    private static List<String> secrets(String current, String previous) {
        return previous == null ? List.of(current) : List.of(current, previous);
    }

    private Delivery.Settings settings(String disabledReason, String filter, Integer maxPerSecond) {
        if (disabledReason == null && filter == null && maxPerSecond == null) {
            return Delivery.Settings.DEFAULT;
        }
        try {
            return new Delivery.Settings(disabledReason,
                    filter == null ? null : EventFilter.of(json.readValue(filter, CONDITIONS)), maxPerSecond);
        } catch (IOException e) {
            throw new IllegalStateException("destination filter is not a list of conditions", e);
        }
    }

    private Map<String, String> headers(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, HEADERS);
        } catch (IOException e) {
            throw new IllegalStateException("destination headers are not a JSON object", e);
        }
    }
}
