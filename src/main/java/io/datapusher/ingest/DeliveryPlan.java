package io.datapusher.ingest;

import java.time.Duration;

/**
 * What the delivery side wants in the logs that ingest makes with each event (implemented there,
 * so that ingest does not depend on it).
 */
public interface DeliveryPlan {

    /** Attempts a new log allows before it ends failed. */
    int attemptLimit();

    /**
     * When a new log becomes due for the poller if no consumer has claimed it through the broker
     * (its message was lost, or this replica died before publishing it).
     */
    Duration handOffGrace();
}
