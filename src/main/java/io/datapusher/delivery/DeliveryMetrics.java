package io.datapusher.delivery;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.common.DatabaseOutage;
import io.datapusher.platform.NotReadyToWork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/** The delivery side's meters, all named {@code datapusher.*}. */
@ApplicationScoped
public class DeliveryMetrics {
    private final Counter succeeded;
    private final Counter failed;
    private final Counter retried;
    private final Counter skipped;
    private final Counter notAttempted;
    private final Counter dropped;
    private final Counter claimFailures;
    private final Counter outcomesLost;
    private final Timer attemptDuration;
    private final Timer latency;
    private final Timer handOff;
    private final Timer outcomeWait;
    private final AtomicLong waitingRetries = new AtomicLong();
    private final AtomicLong unstarted = new AtomicLong();
    private final DataSource dataSource;
    private final DatabaseOutage database;

    DeliveryMetrics(MeterRegistry registry, DataSource dataSource, DatabaseOutage database) {
        this.dataSource = dataSource;
        this.database = database;
        this.succeeded = deliveries(registry, "success");
        this.failed = deliveries(registry, "failed");
        this.retried = deliveries(registry, "retry");
        this.skipped = deliveries(registry, "skipped");
        this.notAttempted = Counter.builder("datapusher.delivery.not.attempted")
                .description(
                        "Deliveries put back without an attempt: their destination's circuit was open or its rate limit had no token")
                .register(registry);
        this.dropped = Counter.builder("datapusher.delivery.messages.dropped")
                .description("Queue messages acknowledged without delivery: not events of this database")
                .register(registry);
        this.claimFailures = Counter.builder("datapusher.delivery.claim.failures")
                .description("Claims by the consumer that failed (e.g. database down); their message went back to the queue")
                .register(registry);
        this.outcomesLost = Counter.builder("datapusher.delivery.outcomes.lost")
                .description("Attempt outcomes that could not be written before their lease ran out; attempted again")
                .register(registry);
        this.attemptDuration = Timer.builder("datapusher.delivery.attempt.duration")
                .description("One outbound attempt, connect to status line")
                .register(registry);
        this.latency = Timer.builder("datapusher.delivery.latency")
                .description("From the event's receipt to its successful delivery to one destination")
                .publishPercentileHistogram()
                .register(registry);
        this.handOff = Timer.builder("datapusher.delivery.handoff")
                .description("From ingest publishing a batch's message to a consumer taking it (broker and queue)")
                .publishPercentileHistogram()
                .register(registry);
        this.outcomeWait = Timer.builder("datapusher.delivery.outcome.wait")
                .description("From an attempt's end to its outcome being written (the recorder's queue and batch)")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("datapusher.retries.waiting", waitingRetries, AtomicLong::get)
                .description("Pending deliveries waiting for a retry, as of the last count (every few seconds)")
                .register(registry);
        Gauge.builder("datapusher.deliveries.unstarted", unstarted, AtomicLong::get)
                .description("Deliveries of accepted events not attempted yet (the backlog), as of the last count")
                .register(registry);
    }

    private static Counter deliveries(MeterRegistry registry, String status) {
        return Counter.builder("datapusher.deliveries")
                .description(
                        "Outcomes as written to the log: success, failed (final), retry (rescheduled) or skipped (not sent on purpose)")
                .tag("status", status)
                .register(registry);
    }

    void attempted(long nanos) {
        attemptDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void recorded(DeliveryStatus status, boolean attempted, Duration receivedToDelivered) {
        if (status == DeliveryStatus.SKIPPED) {
            skipped.increment();
            return;
        }
        if (!attempted) {
            notAttempted.increment();
            return;
        }
        switch (status) {
            case SUCCESS -> {
                succeeded.increment();
                latency.record(receivedToDelivered);
            }
            case FAILED -> failed.increment();
            case PENDING -> retried.increment();
            case SKIPPED -> skipped.increment();
        }
    }

    void handedOff(long publishedAtMillis) {
        if (publishedAtMillis > 0) {
            handOff.record(Math.max(0, System.currentTimeMillis() - publishedAtMillis), TimeUnit.MILLISECONDS);
        }
    }

    void outcomeWaited(long nanos) {
        outcomeWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    void dropped() {
        dropped.increment();
    }

    void claimFailed() {
        claimFailures.increment();
    }

    void outcomesLost(int count) {
        outcomesLost.increment(count);
    }

    /**
     * Every pending log has a due time; saying so lets the count read the due index (V17, V29) for
     * the unordered ones, not the table; the ordered ones are in the fifo queue index (V28).
     */
    @Scheduled(identity = "delivery-gauges", every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NotReadyToWork.class)
    void refreshGauges() {
        try (Connection connection = dataSource.getConnection();
                Statement count = connection.createStatement();
                ResultSet row = count.executeQuery("""
                        SELECT count(*) FILTER (WHERE attempts > 0), count(*) FILTER (WHERE attempts = 0)
                        FROM (SELECT attempts FROM delivery_logs
                              WHERE status = 'pending' AND next_attempt_at IS NOT NULL AND fifo_seq IS NULL
                              UNION ALL
                              SELECT attempts FROM delivery_logs WHERE status = 'pending' AND fifo_seq IS NOT NULL) p""")) {
            row.next();
            waitingRetries.set(row.getLong(1));
            unstarted.set(row.getLong(2));
            database.succeeded();
        } catch (SQLException e) {
            if (DatabaseErrors.isUnavailable(e)) {
                database.failed(e);
            } else {
                Log.warnf("Could not count pending deliveries: SQLSTATE %s", e.getSQLState());
            }
        }
    }
}
