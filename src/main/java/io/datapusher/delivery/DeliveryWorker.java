package io.datapusher.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.ErrorMappers;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Makes attempts and writes their outcomes. Each attempt holds one of this replica's
 * {@code max-in-flight} slots from its claim until its outcome is written; the HTTP exchange
 * itself holds no thread. DNS is resolved on a worker thread, every address is checked by the
 * {@link OutboundGuard}, and the checked address is the one connected to.
 */
@ApplicationScoped
public class DeliveryWorker {
    private final DeliveryLogs logs;
    private final WebhookClient client;
    private final DestinationBreakers breakers;
    private final OutboundGuard guard;
    private final DeliveryMetrics metrics;
    private final DeliveryConfig config;
    private final Executor worker = Infrastructure.getDefaultWorkerPool();
    private final AtomicInteger inFlight = new AtomicInteger();

    DeliveryWorker(DeliveryLogs logs, WebhookClient client, DestinationBreakers breakers, OutboundGuard guard,
            DeliveryMetrics metrics, DeliveryConfig config) {
        this.logs = logs;
        this.client = client;
        this.breakers = breakers;
        this.guard = guard;
        this.metrics = metrics;
        this.config = config;
    }

    /** Takes up to {@code wanted} slots; answers how many it got. */
    public int reserve(int wanted) {
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
        if (slots > 0) {
            inFlight.addAndGet(-slots);
        }
    }

    /** Attempts leased deliveries, each holding one reserved slot, concurrently. */
    public void attemptAll(List<Delivery> deliveries) {
        for (Delivery delivery : deliveries) {
            worker.execute(() -> attempt(delivery));
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
