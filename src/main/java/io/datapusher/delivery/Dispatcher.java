package io.datapusher.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.destination.OutboundGuard;
import io.datapusher.platform.Draining;
import io.quarkus.logging.Log;

/**
 * Starts the attempts of claimed deliveries, each holding one slot of {@link InFlight}: builds and
 * signs the request, resolves the host and checks every address with the {@link OutboundGuard}
 * (on the calling worker thread), and sends it through the destination's circuit breaker on the
 * non-blocking client; the outcome goes to the {@link OutcomeRecorder}. A delivery whose lease is
 * too short to finish an attempt in, or claimed while the replica drains, is given back unsent.
 */
@ApplicationScoped
public class Dispatcher {
    static final String DESTINATION_BUSY = "destination busy: as many attempts in flight as pooled connections";
    /** A busy destination's delivery is tried again this soon, without counting an attempt. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(1);
    private final DeliveryClaims claims;
    private final WebhookClient client;
    private final DestinationBreakers breakers;
    private final OutboundGuard guard;
    private final OutcomeRecorder recorder;
    private final InFlight inFlight;
    private final DeliveryMetrics metrics;
    private final Draining draining;
    /** Claimed longer ago than this, an attempt could outlive the lease: another claim may then send too. */
    private final long latestStartNanos;
    /**
     * Attempts in flight per destination, at most as many as it has pooled connections: more would
     * only wait in the pool, each holding a delivery slot, so one destination that hangs could take
     * them all (measured: 471 of 512, bench/reliability.sh neighbours).
     */
    private final ConcurrentHashMap<UUID, AtomicInteger> attemptsInFlight = new ConcurrentHashMap<>();
    private final int maxAttemptsPerDestination;

    Dispatcher(DeliveryClaims claims, WebhookClient client, DestinationBreakers breakers, OutboundGuard guard,
            OutcomeRecorder recorder, InFlight inFlight, DeliveryMetrics metrics, Draining draining,
            DeliveryConfig config) {
        this.claims = claims;
        this.client = client;
        this.breakers = breakers;
        this.guard = guard;
        this.recorder = recorder;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.draining = draining;
        this.latestStartNanos = claims.lease().minus(config.timeout()).minusSeconds(5).toNanos();
        this.maxAttemptsPerDestination = config.maxConnectionsPerHost();
    }

    /** Attempts each delivery, or gives it back; every delivery holds a slot, released by either. */
    public void dispatch(List<Delivery> deliveries) {
        List<Delivery> giveBack = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            if (draining.isDraining() || System.nanoTime() - delivery.claimedAtNanos() > latestStartNanos) {
                giveBack.add(delivery);
            } else {
                attempt(delivery);
            }
        }
        giveBack(giveBack);
    }

    private void giveBack(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        try {
            claims.release(deliveries);
            Log.infof("Gave back %d deliveries not started; another replica takes them at once", deliveries.size());
        } catch (RuntimeException e) {
            Log.warnf("Could not give back %d deliveries not started (%s); another replica takes them when their lease ends",
                    deliveries.size(), DatabaseErrors.describe(e));
        } finally {
            inFlight.release(deliveries.size());
        }
    }

    private void attempt(Delivery delivery) {
        AtomicInteger busy = attemptsInFlight.computeIfAbsent(delivery.destinationId(), id -> new AtomicInteger());
        if (busy.incrementAndGet() > maxAttemptsPerDestination) {
            busy.decrementAndGet();
            recorder.record(delivery, AttemptOutcome.notAttempted(DESTINATION_BUSY, BUSY_RETRY));
            return;
        }
        long started = System.nanoTime();
        CompletionStage<AttemptOutcome> outcome;
        try {
            WebhookRequest request = WebhookRequest.build(delivery.method(), delivery.url(), delivery.headers(),
                    delivery.signingSecrets(), delivery.eventId(), delivery.payload(), Instant.now().getEpochSecond());
            InetAddress address = guard.resolve(request.host());
            outcome = breakers.call(delivery.destinationId(), () -> client.send(request, address));
        } catch (WebhookRequest.UnusableUrl e) {
            outcome = CompletableFuture.completedFuture(AttemptOutcome.fail(null, e.getMessage()));
        } catch (OutboundGuard.RefusedAddress e) {
            outcome = CompletableFuture.completedFuture(AttemptOutcome.fail(null, "address not allowed"));
        } catch (UnknownHostException e) {
            outcome = CompletableFuture.completedFuture(AttemptOutcome.retry(null, "unknown host", null));
        } catch (RuntimeException e) {
            Log.errorf(e, "Could not attempt delivery %s", delivery.logId());
            outcome = CompletableFuture.completedFuture(AttemptOutcome.retry(null, "internal error", null));
        }
        outcome.whenComplete((result, failure) -> {
            if (busy.decrementAndGet() == 0) {
                attemptsInFlight.remove(delivery.destinationId(), busy);
            }
            AttemptOutcome ended = result != null ? result : AttemptOutcome.retry(null, "internal error", null);
            if (ended.attempted()) {
                metrics.attempted(System.nanoTime() - started);
            }
            recorder.record(delivery, ended);
        });
    }
}
