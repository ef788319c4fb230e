package io.datapusher.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.SqlLiterals;

/**
 * The one statement that writes a batch of incoming events, in autocommit (so it is its own
 * transaction, committed when it returns):
 * <ol>
 * <li>locks the batch's rate-limit buckets in account order, refills each by the time elapsed and
 * grants as many of its account's requests as it has whole tokens, in arrival order;</li>
 * <li>inserts the granted events, a duplicate event id doing nothing;</li>
 * <li>inserts one pending delivery log per new event and destination of its account, due for the
 * poller after the hand-off grace (the broker message is the fast path); a {@code fifo}
 * destination's log gets the next place in its queue;</li>
 * <li>answers a row per request, in the order given.</li>
 * </ol>
 * Constants are written into the SQL once, so the statement has only the four arrays as parameters.
 */
@ApplicationScoped
class IntakeStatement {
    private final String sql;
    private final String createBuckets;
    private final double rate;

    IntakeStatement(IngestConfig config, DeliveryPlan plan) {
        this.rate = config.ratePerSecond();
        String capacity = SqlLiterals.number(Math.max(1.0, rate));
        String refilled = "LEAST(%s, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM statement_timestamp() - b.refilled_at)) * %s)"
                .formatted(capacity, SqlLiterals.number(rate));
        String granted = "LEAST(w.n, floor(" + refilled + "))";
        this.sql = """
                WITH req AS (
                    SELECT r.id, r.account_id, r.event_id, r.payload, r.ord,
                           row_number() OVER (PARTITION BY r.account_id ORDER BY r.ord) AS rank
                    FROM unnest(?::uuid[], ?::uuid[], ?::varchar[], ?::bytea[])
                         WITH ORDINALITY AS r (id, account_id, event_id, payload, ord)
                ), wanted AS (
                    SELECT account_id, count(*) AS n FROM req GROUP BY account_id
                ), locked AS MATERIALIZED (
                    SELECT account_id FROM rate_limit_buckets
                    WHERE account_id IN (SELECT account_id FROM wanted)
                    ORDER BY account_id FOR UPDATE
                ), taken AS (
                    UPDATE rate_limit_buckets b
                    SET granted = %2$s, tokens = %1$s - %2$s,
                        refilled_at = GREATEST(b.refilled_at, statement_timestamp())
                    FROM wanted w
                    WHERE b.account_id = w.account_id AND b.account_id IN (SELECT account_id FROM locked)
                    RETURNING b.account_id, b.granted, b.tokens
                ), inserted AS (
                    INSERT INTO events (id, account_id, event_id, payload, received_at)
                    SELECT q.id, q.account_id, q.event_id, q.payload, statement_timestamp()
                    FROM req q JOIN taken t ON t.account_id = q.account_id
                    WHERE q.rank <= t.granted
                    ORDER BY q.ord
                    ON CONFLICT (account_id, event_id) DO NOTHING
                    RETURNING id, account_id, event_id, received_at
                ), logs AS (
                    INSERT INTO delivery_logs (id, event_ref, account_id, destination_id, event_id, status, attempts,
                                               attempt_limit, received_at, next_attempt_at, created_at, updated_at,
                                               fifo_seq)
                    SELECT uuid_v7(), n.id, n.account_id, n.destination_id, n.event_id, 'pending', 0, %3$d, n.received_at,
                           n.received_at + %4$s, n.received_at, n.received_at,
                           CASE WHEN n.fifo THEN nextval('delivery_logs_fifo_seq') END
                    -- ordered by arrival, so that a fifo destination's places follow the requests' order
                    -- (a sorted subquery is not flattened: nextval runs in its order)
                    FROM (SELECT i.id, i.account_id, d.id AS destination_id, i.event_id, i.received_at,
                                 d.ordering = 'fifo' AS fifo
                          FROM inserted i JOIN req q ON q.id = i.id JOIN destinations d ON d.account_id = i.account_id
                          ORDER BY q.ord) n
                    RETURNING event_ref
                )
                SELECT t.account_id IS NOT NULL, q.rank <= COALESCE(t.granted, 0), i.id IS NOT NULL,
                       l.event_ref IS NOT NULL, COALESCE(t.tokens, 0)
                FROM req q
                LEFT JOIN taken t ON t.account_id = q.account_id
                LEFT JOIN inserted i ON i.id = q.id
                LEFT JOIN (SELECT DISTINCT event_ref FROM logs) l ON l.event_ref = q.id
                ORDER BY q.ord""".formatted(refilled, granted, plan.attemptLimit(),
                SqlLiterals.interval(plan.handOffGrace()));
        this.createBuckets = """
                INSERT INTO rate_limit_buckets (account_id, tokens, refilled_at)
                SELECT id, %s, statement_timestamp() FROM accounts WHERE id = ANY (?)
                ON CONFLICT (account_id) DO NOTHING""".formatted(capacity);
    }

    /**
     * @param hasBucket false: the account has no rate-limit bucket (its first event, or it was deleted)
     * @param admitted a token was taken for it
     * @param created a new event was stored (admitted and not a duplicate)
     * @param hasLogs the new event has deliveries to make
     * @param tokensLeft in the account's bucket after this batch
     */
    record Result(boolean hasBucket, boolean admitted, boolean created, boolean hasLogs, double tokensLeft) {
    }

    /** One result per request, in the order of {@code batch}. */
    List<Result> execute(Connection connection, List<GroupCommit.Request> batch) throws SQLException {
        int n = batch.size();
        UUID[] ids = new UUID[n];
        UUID[] accounts = new UUID[n];
        String[] eventIds = new String[n];
        byte[][] payloads = new byte[n][];
        for (int i = 0; i < n; i++) {
            GroupCommit.Request request = batch.get(i);
            ids[i] = request.eventRef();
            accounts[i] = request.accountId();
            eventIds[i] = request.eventId();
            payloads[i] = request.payload();
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("uuid", ids));
            statement.setArray(2, connection.createArrayOf("uuid", accounts));
            statement.setArray(3, connection.createArrayOf("varchar", eventIds));
            statement.setArray(4, connection.createArrayOf("bytea", payloads));
            List<Result> results = new ArrayList<>(n);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    results.add(new Result(rows.getBoolean(1), rows.getBoolean(2), rows.getBoolean(3),
                            rows.getBoolean(4), rows.getDouble(5)));
                }
            }
            if (results.size() != n) {
                throw new IllegalStateException("intake answered " + results.size() + " rows for " + n + " requests");
            }
            return results;
        }
    }

    /** Full buckets for these accounts, where they exist and have none yet. */
    void createBuckets(Connection connection, Collection<UUID> accountIds) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(createBuckets)) {
            statement.setArray(1, connection.createArrayOf("uuid", accountIds.toArray()));
            statement.executeUpdate();
        }
    }

    /** Whole seconds until the bucket holds a token again, at least 1 (for Retry-After). */
    long secondsUntilToken(double available) {
        return secondsUntilToken(available, rate);
    }

    static long secondsUntilToken(double available, double rate) {
        double missing = Math.max(0, 1.0 - available);
        return Math.max(1, (long) Math.ceil(missing / rate));
    }
}
