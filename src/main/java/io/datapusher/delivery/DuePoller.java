package io.datapusher.delivery;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.common.DatabaseOutage;
import io.datapusher.platform.NotReadyToWork;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;

/**
 * On every replica, claims the pending deliveries that are due and attempts them: retries after
 * their backoff, redeliveries, logs whose broker message was lost or never sent (due after the
 * hand-off grace), logs the consumer had no slot for, and logs whose holder died (lease ran out).
 * Pending deliveries live in PostgreSQL only, so they survive the restart of every replica. A
 * draining replica gets no slot, so it claims nothing.
 */
@ApplicationScoped
public class DuePoller {
    /** Claims per run at most; each claim is at most one batch and never more than the free slots. */
    private static final int MAX_ROUNDS = 20;
    static final String JOB = "due-poller";

    private final DeliveryClaims claims;
    private final Dispatcher dispatcher;
    private final InFlight inFlight;
    private final DeliveryConfig config;
    private final DatabaseOutage database;

    DuePoller(DeliveryClaims claims, Dispatcher dispatcher, InFlight inFlight, DeliveryConfig config,
            DatabaseOutage database) {
        this.database = database;
        this.claims = claims;
        this.dispatcher = dispatcher;
        this.inFlight = inFlight;
        this.config = config;
    }

    /** Scheduled in code so that the interval comes from the typed config, not a copy of it in a string. */
    void schedule(@Observes StartupEvent start, Scheduler scheduler, NotReadyToWork notReady) {
        scheduler.newJob(JOB)
                .setInterval(config.pollInterval().toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setSkipPredicate(notReady)
                .setTask(execution -> poll())
                .schedule();
    }

    void poll() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int slots = inFlight.reserve(config.claimBatch());
            if (slots == 0) {
                return;
            }
            List<Delivery> claimed;
            try {
                claimed = claims.claimDue(slots);
            } catch (RuntimeException e) {
                inFlight.release(slots);
                if (DatabaseErrors.isUnavailable(e)) {
                    database.failed(e);
                } else {
                    Log.error("Due poller failed", e);
                }
                return;
            }
            // Runs every poll interval on every replica: the end of an outage is seen within one.
            database.succeeded();
            inFlight.release(slots - claimed.size());
            dispatcher.dispatch(claimed);
            if (claimed.size() < slots) {
                return;
            }
        }
    }
}
