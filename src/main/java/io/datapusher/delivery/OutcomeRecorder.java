package io.datapusher.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.common.DatabaseOutage;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Writes attempt outcomes to their logs, many in one statement: success, failed (not retryable, or
 * the last attempt allowed), or pending again with the next attempt after a backoff. An outcome is
 * written only while its claim still holds the log ({@code claim_token}), so a holder whose lease
 * lapsed never overwrites a newer claim's outcome. Each written outcome frees its slot. While the
 * database is unreachable the outcomes wait and are written when it is back, until their lease
 * runs out (then another claim attempts the log again: at least once). The destinations' health
 * ({@link EndpointHealth}) is written in the same transaction. Once an ordered delivery's final
 * outcome is committed, the next one in its destination's queue may go ({@link QueueAdvance}).
 */
@ApplicationScoped
public class OutcomeRecorder {
    private static final int MAX_BATCH = 512;
    private static final long RETRY_WRITE_MS = 500;
    /**
     * One log by its primary key, so the plan is the same whatever the backlog; a batch of them goes
     * to PostgreSQL in one round trip (JDBC batch) and one transaction.
     */
    private static final String RECORD = """
            UPDATE delivery_logs
            SET status = ?, attempts = attempts + ?,
                response_status = CASE WHEN ? THEN CAST(? AS integer) ELSE response_status END, error = ?,
                response_body = CASE WHEN ? THEN CAST(? AS varchar) ELSE response_body END,
                duration_ms = CASE WHEN ? THEN CAST(? AS integer) ELSE duration_ms END,
                processed_at = CASE WHEN ? THEN NULL ELSE clock_timestamp() END,
                next_attempt_at = CASE WHEN ? THEN clock_timestamp() + make_interval(secs => ?) END,
                lease_until = NULL, updated_at = clock_timestamp()
            WHERE id = ? AND claim_token = ? AND status = 'pending'""";

    private final DataSource dataSource;
    private final InFlight inFlight;
    private final DeliveryMetrics metrics;
    private final DeliveryConfig config;
    private final EndpointHealth health;
    private final DatabaseOutage database;
    private final QueueAdvance queueAdvance;
    private final long leaseNanos;
    private final LinkedBlockingQueue<Outcome> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread thread;

    OutcomeRecorder(DataSource dataSource, InFlight inFlight, DeliveryMetrics metrics, DeliveryConfig config,
            DeliveryClaims claims, EndpointHealth health, DatabaseOutage database, QueueAdvance queueAdvance) {
        this.health = health;
        this.queueAdvance = queueAdvance;
        this.dataSource = dataSource;
        this.database = database;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.config = config;
        this.leaseNanos = claims.lease().toNanos();
    }

    /** One attempt's outcome, to be written; its slot is freed once it is. */
    record Outcome(Delivery delivery, AttemptOutcome outcome, DeliveryStatus status, Duration delay, long endedNanos,
            Integer durationMs) {
    }

    /** An outcome without an attempt (nothing sent); never blocks. */
    void record(Delivery delivery, AttemptOutcome outcome) {
        record(delivery, outcome, null);
    }

    /**
     * Never blocks: the outcome is written by the recorder's thread, with others.
     *
     * @param attemptNanos how long the attempt took, or null when none was made
     */
    void record(Delivery delivery, AttemptOutcome outcome, Long attemptNanos) {
        DeliveryStatus status = outcome.statusAfter(delivery.attempts(), delivery.attemptLimit());
        Duration delay = switch (outcome.kind()) {
            case RETRY -> Backoff.next(delivery.attempts() + 1, config.initialBackoff(), config.maxBackoff(),
                    outcome.retryAfter(), ThreadLocalRandom.current());
            case NOT_ATTEMPTED -> outcome.retryAfter();
            default -> Duration.ZERO;
        };
        Integer durationMs = attemptNanos == null ? null : (int) Math.min(Integer.MAX_VALUE, attemptNanos / 1_000_000);
        queue.add(new Outcome(delivery, outcome, status, delay, System.nanoTime(), durationMs));
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "delivery-outcome-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    /** After the delivery drain ({@link DeliveryShutdown}), which waits for the outcomes in flight. */
    void stop(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) ShutdownEvent event) {
        running = false;
    }

    private void run() {
        List<Outcome> batch = new ArrayList<>(MAX_BATCH);
        boolean failing = false;
        long failingSince = 0;
        while (running || !queue.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Outcome first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                }
                queue.drainTo(batch, MAX_BATCH - batch.size());
                write(batch);
                database.succeeded();
                if (failing) {
                    Log.infof("Delivery outcomes are written again, after %d ms",
                            (System.nanoTime() - failingSince) / 1_000_000);
                    failing = false;
                }
                inFlight.release(batch.size());
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | SQLException e) {
                if (DatabaseErrors.isUnavailable(e)) {
                    database.failed(e); // the outcomes wait, at most until their lease ends
                } else if (!failing) {
                    Log.warnf("Could not write delivery outcomes (%s); they are tried again every %d ms, at most "
                            + "until their lease ends", DatabaseErrors.describe(e), RETRY_WRITE_MS);
                    failing = true;
                    failingSince = System.nanoTime();
                }
                dropLapsed(batch);
                if (!sleep()) {
                    return;
                }
            }
        }
    }

    /** Outcomes whose lease has run out can no longer be written: another claim attempts them again. */
    private void dropLapsed(List<Outcome> batch) {
        long now = System.nanoTime();
        int before = batch.size();
        batch.removeIf(o -> now - o.delivery().claimedAtNanos() > leaseNanos);
        int dropped = before - batch.size();
        if (dropped > 0) {
            metrics.outcomesLost(dropped);
            inFlight.release(dropped);
        }
    }

    private void write(List<Outcome> batch) throws SQLException {
        // The same row order in every batch: two writers never wait on each other in a cycle.
        batch.sort(Comparator.comparing(o -> o.delivery().logId()));
        int[] written;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(RECORD)) {
            connection.setAutoCommit(false);
            try {
                for (Outcome o : batch) {
                    boolean pending = o.status() == DeliveryStatus.PENDING;
                    update.setString(1, o.status().code());
                    update.setInt(2, o.outcome().attempted() ? 1 : 0);
                    update.setBoolean(3, o.outcome().attempted());
                    update.setObject(4, o.outcome().responseStatus(), Types.INTEGER);
                    update.setString(5, truncate(o.outcome().error()));
                    update.setBoolean(6, o.outcome().attempted());
                    update.setString(7, o.outcome().responseBody());
                    update.setBoolean(8, o.outcome().attempted());
                    update.setObject(9, o.durationMs(), Types.INTEGER);
                    update.setBoolean(10, pending);
                    update.setBoolean(11, pending);
                    update.setDouble(12, o.delay().toMillis() / 1000.0);
                    update.setObject(13, o.delivery().logId());
                    update.setObject(14, o.delivery().claimToken());
                    update.addBatch();
                }
                written = update.executeBatch();
                List<Outcome> applied = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    if (written[i] != 0) {
                        applied.add(batch.get(i));
                    }
                }
                health.write(connection, applied);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                // Nothing of a failed batch may stay: setAutoCommit(true) would commit it half written.
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        Instant now = Instant.now();
        long nowNanos = System.nanoTime();
        Set<UUID> queuesMoved = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            Outcome o = batch.get(i);
            metrics.outcomeWaited(nowNanos - o.endedNanos());
            if (written[i] != 0 && o.delivery().ordered() && o.status() != DeliveryStatus.PENDING) {
                queuesMoved.add(o.delivery().destinationId());
            }
            if (written[i] == 0) {
                Log.infof("Outcome of delivery %s not written: it was taken over or redelivered meanwhile",
                        o.delivery().logId());
                continue;
            }
            metrics.recorded(o.status(), o.outcome().attempted(), Duration.between(o.delivery().receivedAt(), now));
            if (o.status() == DeliveryStatus.FAILED) {
                Log.infof("Delivery %s to destination %s failed after %d attempts: %s", o.delivery().logId(),
                        o.delivery().destinationId(), o.delivery().attempts() + 1, o.outcome().error());
            }
        }
        if (!queuesMoved.isEmpty()) {
            queueAdvance.headsEnded(queuesMoved);
        }
    }

    private static String truncate(String error) {
        return error == null || error.length() <= 500 ? error : error.substring(0, 500);
    }

    private boolean sleep() {
        try {
            Thread.sleep(RETRY_WRITE_MS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
