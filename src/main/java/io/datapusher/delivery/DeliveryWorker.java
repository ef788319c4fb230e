package io.datapusher.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.ErrorMappers;
import io.datapusher.platform.Draining;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Makes attempts and writes their outcomes. Each attempt holds one of this replica's
 * {@code max-in-flight} slots from its claim until its outcome is written; the HTTP exchange
 * itself holds no thread. DNS is resolved on a worker thread, every address is checked by the
 * {@link OutboundGuard}, and the checked address is the one connected to.
 *
 * <p>
 * While the replica is {@link Draining}, no slot is granted, so nothing new is claimed, and a
 * delivery claimed but not yet started is given back (its lease removed) for another replica's
 * poller; attempts under way go on, and {@link DeliveryShutdown} waits for them.
 */
@ApplicationScoped
public class DeliveryWorker {
    private final DeliveryLogs logs;
    private final WebhookClient client;
    private final DestinationBreakers breakers;
    private final OutboundGuard guard;
    private final DeliveryMetrics metrics;
    private final DeliveryConfig config;
    private final Draining draining;
    private final Executor worker = Infrastructure.getDefaultWorkerPool();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Notified when the last slot is released while draining. */
    private final Object idle = new Object();

    DeliveryWorker(DeliveryLogs logs, WebhookClient client, DestinationBreakers breakers, OutboundGuard guard,
            DeliveryMetrics metrics, DeliveryConfig config, Draining draining) {
        this.logs = logs;
        this.client = client;
        this.breakers = breakers;
        this.guard = guard;
        this.metrics = metrics;
        this.config = config;
        this.draining = draining;
    }

    /** Takes up to {@code wanted} slots; answers how many it got, none while draining. */
    public int reserve(int wanted) {
        if (draining.isDraining()) {
            return 0;
        }
        while (true) {
            int current = inFlight.get();
            int granted = Math.min(wanted, config.maxInFlight() - current);
            if (granted <= 0) {
                return 0;
            }
            if (inFlight.compareAndSet(current, current + granted)) {
                return granted;
            }
        }
    }

    public void release(int slots) {
        if (slots > 0 && inFlight.addAndGet(-slots) == 0 && draining.isDraining()) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Slots held: attempts under way and deliveries claimed but not started. */
    int inFlight() {
        return inFlight.get();
    }

    /** Waits until no slot is held or the deadline has passed; answers whether none is held. */
    boolean awaitIdle(Instant deadline) throws InterruptedException {
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (left <= 0) {
                    return false;
                }
                idle.wait(left);
            }
            return true;
        }
    }

    /**
     * Attempts leased deliveries, each holding one reserved slot, concurrently; while draining, gives
     * them back instead.
     */
    public void attemptAll(List<Delivery> deliveries) {
        if (draining.isDraining()) {
            giveBack(deliveries);
            return;
        }
        for (Delivery delivery : deliveries) {
            try {
                worker.execute(() -> start(delivery));
            } catch (RejectedExecutionException e) {
                giveBack(List.of(delivery));
            }
        }
    }

    private void start(Delivery delivery) {
        if (draining.isDraining()) {
            giveBack(List.of(delivery));
        } else {
            attempt(delivery);
        }
    }

    /** Removes the leases of deliveries not attempted, so that another replica takes them now. */
    private void giveBack(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        try {
            logs.release(deliveries.stream().map(Delivery::logId).toList());
            Log.infof("Gave back %d deliveries not started; another replica takes them at once", deliveries.size());
        } catch (RuntimeException e) {
            Log.warnf("Could not give back %d deliveries not started (%s); another replica takes them when their lease ends",
                    deliveries.size(),
                    ErrorMappers.isDatabaseUnavailable(e) ? "database unavailable" : e.getClass().getSimpleName());
        } finally {
            release(deliveries.size());
        }
    }

    void attempt(Delivery delivery) {
        long started = System.nanoTime();
        CompletionStage<AttemptOutcome> outcome;
        try {
            WebhookRequest request = WebhookRequest.build(delivery.method(), delivery.url(), delivery.headers(),
                    delivery.signingSecret(), delivery.eventId(), delivery.payload(), Instant.now().getEpochSecond());
            InetAddress address = WebhookClient.resolve(request.host(), guard);
            outcome = breakers.call(delivery.destinationId(), () -> client.send(request, address));
        } catch (WebhookRequest.UnusableUrl e) {
            outcome = CompletableFuture.completedFuture(AttemptOutcome.fail(null, e.getMessage()));
        } catch (WebhookClient.RefusedAddress e) {
            outcome = CompletableFuture.completedFuture(AttemptOutcome.fail(null, "address not allowed"));
        } catch (UnknownHostException e) {
            outcome = CompletableFuture.completedFuture(AttemptOutcome.retry(null, "unknown host", null));
        } catch (RuntimeException e) {
            Log.errorf(e, "Could not attempt delivery %s", delivery.logId());
            outcome = CompletableFuture.completedFuture(AttemptOutcome.retry(null, "internal error", null));
        }
        outcome.whenComplete((result, failure) -> worker.execute(() -> finish(delivery,
                result != null ? result : AttemptOutcome.retry(null, "internal error", null), started)));
    }

    private void finish(Delivery delivery, AttemptOutcome outcome, long startedNanos) {
        try {
            if (!DestinationBreakers.CIRCUIT_OPEN.equals(outcome.error())) {
                metrics.attempted(Duration.ofNanos(System.nanoTime() - startedNanos));
            }
            Duration delay = outcome.kind() == AttemptOutcome.Kind.RETRY
                    ? Backoff.next(delivery.attempts() + 1, config.initialBackoff(), config.maxBackoff(),
                            outcome.retryAfter(), ThreadLocalRandom.current())
                    : Duration.ZERO;
            DeliveryLogs.Recorded recorded = logs.record(delivery, outcome, delay);
            if (recorded == null) {
                Log.infof("Outcome of delivery %s not written: it was taken over or finished meanwhile",
                        delivery.logId());
                return;
            }
            metrics.recorded(recorded);
            if (recorded.status() == DeliveryStatus.FAILED) {
                Log.infof("Delivery %s to destination %s failed after %d attempts: %s", delivery.logId(),
                        delivery.destinationId(), delivery.attempts() + 1, outcome.error());
            }
        } catch (RuntimeException e) {
            Log.warnf("Could not write the outcome of delivery %s (%s); it is attempted again once its lease ends",
                    delivery.logId(),
                    ErrorMappers.isDatabaseUnavailable(e) ? "database unavailable" : e.getClass().getSimpleName());
        } finally {
            release(1);
        }
    }
}
