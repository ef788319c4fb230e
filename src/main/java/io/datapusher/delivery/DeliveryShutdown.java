package io.datapusher.delivery;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.datapusher.platform.Draining;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The delivery engine's part of a graceful shutdown. From SIGTERM on ({@link Draining}), no slot
 * is granted, so neither the due poller nor the consumer claims anything (the logs stay for the
 * other replicas), and deliveries claimed but not started are given back. Here, before
 * the broker connection, the HTTP client and the database pool close, the attempts already under
 * way are waited for until they end and their outcome is written, at most
 * {@code datapusher.delivery.drain-timeout} after SIGTERM: an outcome not written would make
 * another replica send the event again once the lease ran out.
 *
 * <p>
 * Queue messages not yet taken go back to the broker when the connection closes after this (they
 * are not acknowledged); a message redelivered finds its logs claimed or done, so nothing is sent twice.
 */
@ApplicationScoped
class DeliveryShutdown {
    private final InFlight inFlight;
    private final Draining draining;
    private final DeliveryConfig config;

    DeliveryShutdown(InFlight inFlight, Draining draining, DeliveryConfig config) {
        this.inFlight = inFlight;
        this.draining = draining;
        this.config = config;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        Instant sigterm = draining.since().orElseGet(Instant::now);
        Instant deadline = sigterm.plus(config.drainTimeout());
        int held = inFlight.held();
        if (held == 0) {
            Log.info("Shutdown: no delivery attempt in flight");
            return;
        }
        Log.infof("Shutdown: waiting for %d delivery attempts in flight (at most until %d ms after SIGTERM)", held,
                config.drainTimeout().toMillis());
        long started = System.nanoTime();
        boolean idle;
        try {
            idle = inFlight.awaitIdle(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        long waitedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        if (idle) {
            Log.infof("Shutdown: all %d delivery attempts in flight ended and were recorded after %d ms", held,
                    waitedMs);
        } else {
            Log.warnf("Shutdown: %d delivery attempts still in flight after %d ms; another replica takes them over "
                    + "when their lease ends", inFlight.held(), waitedMs);
        }
    }
}
