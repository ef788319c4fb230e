package io.datapusher.delivery;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "datapusher.delivery")
public interface DeliveryConfig {

    /** Time allowed for one attempt, connect to last byte. Default 10 s. */
    @WithDefault("10s")
    Duration timeout();

    /** Attempts before a log ends {@code failed}. Default 8. */
    @WithDefault("8")
    int maxAttempts();

    /** Delay before the first retry; it doubles each time, with jitter. Default 5 s. */
    @WithDefault("5s")
    Duration initialBackoff();

    /** Upper bound of one retry delay, also for a destination's Retry-After. Default 1 h. */
    @WithDefault("1h")
    Duration maxBackoff();

    /** Most deliveries claimed and not yet recorded at once on this replica; beyond it, claims wait. Default 512. */
    @WithDefault("512")
    int maxInFlight();

    /** How often each replica looks for pending deliveries that are due. Default 1 s. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Most deliveries one claim takes (by the consumer or the due poller). Default 128. */
    @WithDefault("128")
    int claimBatch();

    /**
     * A new log is claimed through its event's broker message; if none has claimed it this long
     * after it was received (the message was lost, never sent, or waits behind a backlog), the due
     * poller takes it. Also how long a consumer waits for free slots for one message. Default 5 s.
     */
    @WithDefault("5s")
    Duration handOffGrace();

    /** Pooled connections per destination address. Default 20. */
    @WithDefault("20")
    int maxConnectionsPerHost();

    /**
     * How long the consumer waits before giving a message back to the queue when its claim
     * failed (e.g. the database is down), so that it is not redelivered in a tight loop. Default 2 s.
     */
    @WithDefault("2s")
    Duration consumerRetryDelay();

    /**
     * On shutdown, how long attempts already in flight may take to end and have their outcome
     * written, counted from SIGTERM. Keep it above {@link #timeout()} (an attempt ends by then) and
     * within the pod's grace period. An attempt still running after it is taken over by another
     * replica once its lease runs out, so its destination may get it twice. Default 15 s.
     */
    @WithDefault("15s")
    Duration drainTimeout();

    /** The circuit breaker of each destination. */
    Breaker circuitBreaker();

    interface Breaker {
        /** Attempts in the rolling window that decides whether to open. Default 20. */
        @WithDefault("20")
        int requestVolumeThreshold();

        /** Share of failed attempts in the window that opens the breaker. Default 0.5. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before letting a trial attempt through. Default 30 s. */
        @WithDefault("30s")
        Duration delay();

        /** Successful trial attempts that close it again. Default 2. */
        @WithDefault("2")
        int successThreshold();
    }
}
