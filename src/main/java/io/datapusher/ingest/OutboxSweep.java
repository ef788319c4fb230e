package io.datapusher.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.ErrorMappers;
import io.datapusher.platform.Draining;
import io.datapusher.platform.NotReadyToWork;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * The transactional outbox's sweep, on every replica: publishes events committed but not handed
 * to the broker (the replica died after commit, or the publish failed), and publishes again events
 * handed over whose delivery has not started in time (a broker may drop a message it accepted).
 * Rows are claimed with {@code FOR UPDATE SKIP LOCKED} and marked published in the same
 * transaction, so two replicas never publish the same event in the same round. A replica that is
 * {@link Draining} claims nothing more: an event it marked and could not hand over before its
 * broker connection closed would wait for the start timeout.
 */
@ApplicationScoped
public class OutboxSweep {
    private final OutboxConfig config;
    private final EventPublisher publisher;
    private final Draining draining;
    private final AtomicLong backlog = new AtomicLong();

    OutboxSweep(OutboxConfig config, EventPublisher publisher, Draining draining, MeterRegistry registry) {
        this.config = config;
        this.publisher = publisher;
        this.draining = draining;
        Gauge.builder("datapusher.outbox.backlog", backlog, AtomicLong::get)
                .description("Events accepted whose delivery has not started, as of the last sweep")
                .register(registry);
    }

    @Scheduled(identity = "outbox-sweep", every = "${datapusher.outbox.sweep-interval:5s}", delayed = "${datapusher.outbox.sweep-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NotReadyToWork.class)
    void sweep() {
        if (draining.isDraining()) {
            return;
        }
        List<UUID> claimed;
        try {
            claimed = QuarkusTransaction.requiringNew().call(this::claim);
            backlog.set(QuarkusTransaction.requiringNew().call(Event::countBacklog));
        } catch (RuntimeException e) {
            if (ErrorMappers.isDatabaseUnavailable(e)) {
                Log.warn("Outbox sweep skipped: database unavailable");
            } else {
                Log.error("Outbox sweep failed", e);
            }
            return;
        }
        if (!claimed.isEmpty()) {
            Log.infof("Outbox sweep publishes %d events", claimed.size());
            claimed.forEach(publisher::republish);
        }
    }

    private List<UUID> claim() {
        List<UUID> ids = new ArrayList<>(
                Event.claimUnpublished(seconds(config.publishGrace()), config.batchSize()));
        ids.addAll(Event.claimUnstarted(seconds(config.startTimeout()), config.batchSize()));
        return ids;
    }

    private static double seconds(java.time.Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
