package io.datapusher.delivery;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.common.TimeOrderedIds;
import io.datapusher.platform.NotReadyToWork;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;

/**
 * Purges events received longer ago than {@code max-age}, with their delivery logs, in small
 * batches on one replica at a time (a PostgreSQL advisory lock). A delivery still pending is never
 * purged, nor is its event.
 * <p>
 * Events are found through the primary key: ids are UUIDv7, so every event received before the
 * cutoff sorts below the cutoff's lowest id, and no extra index is written on the ingest path.
 * Each batch is one transaction of two statements. The first deletes the batch's logs that are not
 * pending: a log that a redelivery made pending meanwhile is re-checked under its row lock and
 * kept. The second deletes the batch's events that have no log left. Deleted rows are reclaimed
 * by autovacuum and reused, so a steady purge keeps the tables at their size instead of growing.
 * Time-partitioned tables, whose old partitions are dropped, would cost no vacuum; but the unique
 * (account_id, event_id) key that makes ingest idempotent would then hold only within a partition.
 */
@ApplicationScoped
public class RetentionPurge {
    static final String JOB = "retention-purge";
    /** pg_try_advisory_lock key: "dp-retention" in ASCII, so it is recognisable in pg_locks. */
    static final long LOCK_KEY = 0x64702d726574L;

    private static final String BATCH = """
            SELECT id FROM events WHERE id > ? AND id < ? AND received_at < ? ORDER BY id LIMIT ?""";
    private static final String DELETE_LOGS = """
            DELETE FROM delivery_logs WHERE event_ref = ANY (?) AND status <> 'pending'""";
    private static final String DELETE_EVENTS = """
            DELETE FROM events e WHERE e.id = ANY (?)
              AND NOT EXISTS (SELECT 1 FROM delivery_logs l WHERE l.event_ref = e.id)""";

    private final DataSource dataSource;
    private final RetentionConfig config;

    RetentionPurge(DataSource dataSource, RetentionConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** What one run purged. */
    public record Purged(boolean ran, long events, long logs, long millis) {
    }

    /** Scheduled in code so that the interval comes from the typed config. */
    void schedule(@Observes StartupEvent start, Scheduler scheduler, NotReadyToWork notReady) {
        scheduler.newJob(JOB)
                .setInterval(config.interval().toString())
                // soon after start, so a replica restarted more often than the interval still purges
                .setDelayed(firstDelay().toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setSkipPredicate(notReady)
                .setTask(execution -> run())
                .schedule();
    }

    private Duration firstDelay() {
        Duration minute = Duration.ofMinutes(1);
        return config.interval().compareTo(minute) < 0 ? config.interval() : minute;
    }

    /** Purges everything older than {@code max-age} now, unless another replica is at it. */
    public Purged run() {
        return run(Instant.now().minus(config.maxAge()));
    }

    Purged run(Instant cutoff) {
        long started = System.nanoTime();
        try (Connection lockHolder = dataSource.getConnection()) {
            if (!tryLock(lockHolder)) {
                Log.debug("Retention purge skipped: another replica is running it");
                return new Purged(false, 0, 0, 0);
            }
            try {
                Purged purged = purge(cutoff, started);
                if (purged.events() > 0 || purged.logs() > 0) {
                    Log.infof("Retention purge: %d events and %d delivery logs received before %s, in %d ms",
                            purged.events(), purged.logs(), cutoff, purged.millis());
                }
                return purged;
            } finally {
                unlock(lockHolder);
            }
        } catch (SQLException | RuntimeException e) {
            Log.warnf("Retention purge stopped (%s); the next run goes on where it stopped",
                    DatabaseErrors.describe(e));
            return new Purged(true, 0, 0, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private Purged purge(Instant cutoff, long started) throws SQLException {
        UUID below = TimeOrderedIds.lowestAt(cutoff.toEpochMilli());
        UUID after = new UUID(0, 0);
        long events = 0;
        long logs = 0;
        while (true) {
            List<UUID> batch = batch(after, below, cutoff);
            if (batch.isEmpty()) {
                break;
            }
            long[] deleted = delete(batch);
            logs += deleted[0];
            events += deleted[1];
            after = batch.get(batch.size() - 1);
            if (batch.size() < config.batchSize()) {
                break;
            }
            if (!pause()) {
                break;
            }
        }
        return new Purged(true, events, logs, (System.nanoTime() - started) / 1_000_000);
    }

    private List<UUID> batch(UUID after, UUID below, Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(BATCH)) {
            select.setObject(1, after);
            select.setObject(2, below);
            select.setTimestamp(3, Timestamp.from(cutoff));
            select.setInt(4, config.batchSize());
            List<UUID> ids = new ArrayList<>(config.batchSize());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /** Logs deleted, events deleted; in one transaction. */
    private long[] delete(List<UUID> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement deleteLogs = connection.prepareStatement(DELETE_LOGS);
                    PreparedStatement deleteEvents = connection.prepareStatement(DELETE_EVENTS)) {
                Array ids = connection.createArrayOf("uuid", batch.toArray());
                deleteLogs.setArray(1, ids);
                long logs = deleteLogs.executeUpdate();
                deleteEvents.setArray(1, ids);
                long events = deleteEvents.executeUpdate();
                connection.commit();
                return new long[] { logs, events };
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet row = lock.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection) throws SQLException {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, LOCK_KEY);
            unlock.execute();
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(config.pause().toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
