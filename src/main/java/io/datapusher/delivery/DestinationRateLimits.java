package io.datapusher.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.DatabaseErrors;

/**
 * The {@code max_per_second} of destinations that have one: a token bucket per destination in
 * PostgreSQL, shared by every replica, holding at most one second of tokens. One statement takes
 * tokens for all of a dispatch's rate-limited deliveries, locking the buckets in id order so that
 * two replicas never wait on each other in a cycle.
 */
@ApplicationScoped
class DestinationRateLimits {
    private static final String CREATE = """
            INSERT INTO destination_rate_buckets (destination_id, tokens, refilled_at)
            SELECT id, GREATEST(rate, 1), statement_timestamp() FROM unnest(?::uuid[], ?::float8[]) AS w (id, rate)
            ON CONFLICT (destination_id) DO NOTHING""";
    private static final String REFILLED = """
            LEAST(GREATEST(w.rate, 1), b.tokens + GREATEST(0, EXTRACT(EPOCH FROM statement_timestamp() - b.refilled_at)) * w.rate)""";
    private static final String TAKE = """
            WITH wanted AS (
                SELECT * FROM unnest(?::uuid[], ?::int[], ?::float8[]) AS w (destination_id, n, rate)
            ), locked AS MATERIALIZED (
                SELECT destination_id FROM destination_rate_buckets
                WHERE destination_id IN (SELECT destination_id FROM wanted)
                ORDER BY destination_id FOR UPDATE
            )
            UPDATE destination_rate_buckets b
            SET granted = LEAST(w.n, floor(%1$s)), tokens = %1$s - LEAST(w.n, floor(%1$s)),
                refilled_at = GREATEST(b.refilled_at, statement_timestamp())
            FROM wanted w
            WHERE b.destination_id = w.destination_id AND b.destination_id IN (SELECT destination_id FROM locked)
            RETURNING b.destination_id, b.granted, b.tokens""".formatted(REFILLED);

    private final DataSource dataSource;
    /** Destinations whose bucket this replica has seen, so the insert is skipped for them. */
    private final Set<UUID> known = ConcurrentHashMap.newKeySet();

    DestinationRateLimits(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * What a destination's bucket gave: the first {@code granted} deliveries go now; the k-th one
     * after them (k from 1) waits {@link #wait(int)}.
     */
    record Grant(int granted, double tokensLeft, int perSecond) {
        /** Nothing granted (the bucket could not be read): every delivery waits its turn. */
        static Grant none(int perSecond) {
            return new Grant(0, 0, perSecond);
        }

        Duration wait(int k) {
            double seconds = Math.max(1.0 / perSecond, (k - tokensLeft) / perSecond);
            return Duration.ofMillis((long) Math.ceil(seconds * 1000));
        }
    }

    /** Takes tokens for each destination's deliveries, at the destination's {@code max_per_second}. */
    Map<UUID, Grant> take(Map<UUID, List<Delivery>> byDestination) {
        UUID[] ids = byDestination.keySet().toArray(UUID[]::new);
        Integer[] counts = new Integer[ids.length];
        Double[] rates = new Double[ids.length];
        Map<UUID, Integer> perSecond = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            List<Delivery> deliveries = byDestination.get(ids[i]);
            perSecond.put(ids[i], deliveries.get(0).settings().maxPerSecond());
            counts[i] = deliveries.size();
            rates[i] = perSecond.get(ids[i]).doubleValue();
        }
        try (Connection connection = dataSource.getConnection()) {
            createMissing(connection, ids, rates);
            Map<UUID, Grant> grants = new HashMap<>();
            try (PreparedStatement take = connection.prepareStatement(TAKE)) {
                take.setArray(1, connection.createArrayOf("uuid", ids));
                take.setArray(2, connection.createArrayOf("integer", counts));
                take.setArray(3, connection.createArrayOf("float8", rates));
                try (ResultSet rows = take.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        grants.put(id, new Grant(rows.getInt(2), rows.getDouble(3), perSecond.get(id)));
                    }
                }
            }
            return grants;
        } catch (SQLException e) {
            throw DatabaseErrors.unchecked(e);
        }
    }

    private void createMissing(Connection connection, UUID[] ids, Double[] rates) throws SQLException {
        Map<UUID, Double> missing = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (!known.contains(ids[i])) {
                missing.put(ids[i], rates[i]);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement create = connection.prepareStatement(CREATE)) {
            create.setArray(1, connection.createArrayOf("uuid", missing.keySet().toArray()));
            create.setArray(2, connection.createArrayOf("float8", missing.values().toArray()));
            create.executeUpdate();
        }
        known.addAll(missing.keySet());
    }
}
