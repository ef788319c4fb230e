package io.datapusher.delivery;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.platform.Draining;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * This replica's delivery slots: one per log from its claim until its outcome is written (or it
 * is given back), at most {@code max-in-flight}. Claims take slots first, so a replica never holds
 * more logs than it can attempt. While draining, no slot is granted.
 */
@ApplicationScoped
public class InFlight {
    private final int max;
    private final Draining draining;
    private int held;

    InFlight(DeliveryConfig config, Draining draining, MeterRegistry registry) {
        this.max = config.maxInFlight();
        this.draining = draining;
        Gauge.builder("datapusher.delivery.in.flight", this, InFlight::held)
                .description(
                        "Delivery slots held on this replica (claimed, not yet recorded), of datapusher.delivery.max-in-flight")
                .register(registry);
    }

    /** Takes up to {@code wanted} slots at once; answers how many (none while draining). */
    public synchronized int reserve(int wanted) {
        if (draining.isDraining()) {
            return 0;
        }
        int granted = Math.max(0, Math.min(wanted, max - held));
        held += granted;
        return granted;
    }

    /**
     * Waits until a slot is free (or the timeout passes, or draining starts), then takes up to
     * {@code wanted}.
     */
    public synchronized int reserve(int wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (held >= max && !draining.isDraining()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            wait(Math.max(1, Math.min(100, left / 1_000_000)));
        }
        return reserve(wanted);
    }

    public synchronized void release(int slots) {
        if (slots > 0) {
            held -= slots;
            notifyAll();
        }
    }

    public synchronized int held() {
        return held;
    }

    /** Waits until no slot is held or the deadline has passed; answers whether none is held. */
    synchronized boolean awaitIdle(Instant deadline) throws InterruptedException {
        while (held > 0) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
