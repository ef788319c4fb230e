package io.datapusher.delivery;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.ErrorMappers;
import io.datapusher.platform.NotReadyToWork;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * On every replica, leases the pending deliveries that are due and attempts them: retries after
 * their backoff, logs whose consumer or replica died mid-delivery (their lease ran out), logs the
 * consumer could not take for lack of slots, and redeliveries (set back to pending and due now).
 * Pending retries live in PostgreSQL only, so they survive the restart of every replica. A
 * draining replica gets no slot, so it claims nothing.
 */
@ApplicationScoped
public class RetryPoller {
    /** Claims per run at most; each claim is at most one batch and never more than the free slots. */
    private static final int MAX_ROUNDS = 10;

    private final DeliveryLogs logs;
    private final DeliveryWorker worker;
    private final DeliveryConfig config;

    RetryPoller(DeliveryLogs logs, DeliveryWorker worker, DeliveryConfig config) {
        this.logs = logs;
        this.worker = worker;
        this.config = config;
    }

    @Scheduled(identity = "retry-poller", every = "${datapusher.delivery.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NotReadyToWork.class)
    void poll() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int slots = worker.reserve(config.pollBatch());
            if (slots == 0) {
                return;
            }
            List<Delivery> claimed;
            try {
                claimed = logs.claimDue(slots);
            } catch (RuntimeException e) {
                worker.release(slots);
                if (ErrorMappers.isDatabaseUnavailable(e)) {
                    Log.warn("Retry poller skipped: database unavailable");
                } else {
                    Log.error("Retry poller failed", e);
                }
                return;
            }
            worker.release(slots - claimed.size());
            worker.attemptAll(claimed);
            if (claimed.size() < slots) {
                return;
            }
        }
    }
}
