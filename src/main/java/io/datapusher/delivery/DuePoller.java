package io.datapusher.delivery;

import java.util.List;
import java.util.function.IntFunction;

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
 * hand-off grace), logs the consumer had no slot for, and logs whose holder died (lease ran out);
 * for ordered ({@code fifo}) destinations, only the head of each queue.
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
        // Ordered destinations first: at most one head each, and each waits for it.
        if (claimOnce(claims::claimDueHeads) == Claimed.FAILED) {
            return;
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (claimOnce(claims::claimDue) != Claimed.FULL_BATCH) {
                return;
            }
        }
    }

    private enum Claimed {
        FULL_BATCH,
        LESS,
        FAILED
    }

    /** One claim of at most a batch, within the free slots, and the attempts of what it took. */
    private Claimed claimOnce(IntFunction<List<Delivery>> claim) {
        int slots = inFlight.reserve(config.claimBatch());
        if (slots == 0) {
            return Claimed.LESS;
        }
        List<Delivery> claimed;
        try {
            claimed = claim.apply(slots);
        } catch (RuntimeException e) {
            inFlight.release(slots);
            if (DatabaseErrors.isUnavailable(e)) {
                database.failed(e);
            } else {
                Log.error("Due poller failed", e);
            }
            return Claimed.FAILED;
        }
        // Runs every poll interval on every replica: the end of an outage is seen within one.
        database.succeeded();
        inFlight.release(slots - claimed.size());
        dispatcher.dispatch(claimed);
        return claimed.size() < slots ? Claimed.LESS : Claimed.FULL_BATCH;
    }
}
