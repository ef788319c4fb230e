package io.datapusher.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.destination.EventFilter;
import io.datapusher.destination.OutboundGuard;
import io.datapusher.platform.Draining;
import io.quarkus.logging.Log;

/**
 * Starts the attempts of claimed deliveries, each holding one slot of {@link InFlight}: builds and
 * signs the request, resolves the host and keeps the addresses the {@link OutboundGuard} permits
 * (on the calling worker thread), and sends it through the destination's circuit breaker on the
 * non-blocking client; the outcome goes to the {@link OutcomeRecorder}. A delivery whose lease is
 * too short to finish an attempt in, or claimed while the replica drains, is given back unsent. One to
 * a disabled destination, or whose event its filter does not match, ends skipped; one beyond its
 * destination's {@code max_per_second} waits for a token, unsent and not counted as an attempt.
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
    private final DestinationRateLimits rateLimits;
    private final ObjectMapper json = new ObjectMapper();
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
            DestinationRateLimits rateLimits, DeliveryConfig config) {
        this.claims = claims;
        this.client = client;
        this.breakers = breakers;
        this.guard = guard;
        this.recorder = recorder;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.draining = draining;
        this.rateLimits = rateLimits;
        this.latestStartNanos = claims.lease().minus(config.timeout()).minusSeconds(5).toNanos();
        this.maxAttemptsPerDestination = config.maxConnectionsPerHost();
    }

    /** Attempts each delivery, or gives it back; every delivery holds a slot, released by either. */
    public void dispatch(List<Delivery> deliveries) {
        List<Delivery> giveBack = new ArrayList<>();
        List<Delivery> rateLimited = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            Delivery.Settings settings = delivery.settings();
            if (draining.isDraining() || System.nanoTime() - delivery.claimedAtNanos() > latestStartNanos) {
                giveBack.add(delivery);
            } else if (settings.disabledReason() != null) {
                recorder.record(delivery, AttemptOutcome.skipped("destination disabled: " + settings.disabledReason()));
            } else if (settings.filter() != null && !passes(settings.filter(), delivery.payload())) {
                recorder.record(delivery, AttemptOutcome.skipped("the destination's filter does not match the event"));
            } else if (settings.maxPerSecond() != null) {
                rateLimited.add(delivery);
            } else {
                attempt(delivery);
            }
        }
        if (!rateLimited.isEmpty()) {
            attemptWithinRateLimits(rateLimited);
        }
        giveBack(giveBack);
    }

    private boolean passes(EventFilter filter, byte[] payload) {
        try {
            return filter.matches(json.readTree(payload));
        } catch (IOException e) {
            // Ingest stores only JSON; something that does not parse cannot match.
            return false;
        }
    }

    /** Attempts as many as the destinations' buckets allow now; the others wait for their token. */
    private void attemptWithinRateLimits(List<Delivery> deliveries) {
        Map<UUID, List<Delivery>> byDestination = new LinkedHashMap<>();
        for (Delivery delivery : deliveries) {
            byDestination.computeIfAbsent(delivery.destinationId(), id -> new ArrayList<>()).add(delivery);
        }
        Map<UUID, DestinationRateLimits.Grant> grants;
        try {
            grants = rateLimits.take(byDestination);
        } catch (RuntimeException e) {
            Log.debugf("Could not take rate-limit tokens (%s); the deliveries wait", DatabaseErrors.describe(e));
            grants = Map.of();
        }
        for (Map.Entry<UUID, List<Delivery>> entry : byDestination.entrySet()) {
            List<Delivery> list = entry.getValue();
            DestinationRateLimits.Grant grant = grants.getOrDefault(entry.getKey(),
                    DestinationRateLimits.Grant.none(list.get(0).settings().maxPerSecond()));
            for (int i = 0; i < list.size(); i++) {
                if (i < grant.granted()) {
                    attempt(list.get(i));
                } else {
                    recorder.record(list.get(i), AttemptOutcome.notAttempted(
                            "waiting for the destination's max_per_second", grant.wait(i - grant.granted() + 1)));
                }
            }
        }
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
            if (busy.decrementAndGet() == 0) {
                attemptsInFlight.remove(delivery.destinationId(), busy);
            }
            AttemptOutcome ended = result != null ? result : AttemptOutcome.retry(null, "internal error", null);
            long took = System.nanoTime() - started;
            if (ended.attempted()) {
                metrics.attempted(took);
            }
            recorder.record(delivery, ended, ended.attempted() ? took : null);
        });
    }
}
