package io.datapusher.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.destination.OutboundGuard;
import io.datapusher.platform.Draining;
import io.quarkus.logging.Log;

/**
 * Starts the attempts of claimed deliveries, each holding one slot of {@link InFlight}: builds and
 * signs the request, resolves the host and keeps the addresses the {@link OutboundGuard} permits
 * (on the calling worker thread), and sends it through the destination's circuit breaker on the
 * non-blocking client; the outcome goes to the {@link OutcomeRecorder}. A delivery whose lease is
 * too short to finish an attempt in, or claimed while the replica drains, is given back unsent.
 */
@ApplicationScoped
public class Dispatcher {
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
        long started = System.nanoTime();
        CompletionStage<AttemptOutcome> outcome;
        try {
            WebhookRequest request = WebhookRequest.build(delivery.method(), delivery.url(), delivery.headers(),
                    delivery.signingSecrets(), delivery.eventId(), delivery.payload(), Instant.now().getEpochSecond());
            List<InetAddress> addresses = guard.resolve(request.host());
            outcome = breakers.call(delivery.destinationId(), () -> client.send(request, addresses));
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
            AttemptOutcome ended = result != null ? result : AttemptOutcome.retry(null, "internal error", null);
            if (ended.attempted()) {
                metrics.attempted(System.nanoTime() - started);
            }
            recorder.record(delivery, ended);
        });
    }
}
