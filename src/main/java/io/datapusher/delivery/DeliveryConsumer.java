package io.datapusher.delivery;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.common.DatabaseOutage;
import io.datapusher.ingest.EventPublisher;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Takes a batch of event ids off the durable queue (one line each, as ingest publishes them) and
 * claims their logs, as many at a time as this replica has free slots, waiting for slots while
 * they are all busy; the message is acknowledged once every log of it was claimed here or is
 * claimed elsewhere (or after the hand-off grace, when the due poller takes what is left).
 *
 * <p>
 * A message about events this database does not hold is acknowledged and dropped with a warning.
 * When a claim fails (the database is down), the consumer waits
 * {@code datapusher.delivery.consumer-retry-delay} and then fails; the channel's failure strategy
 * {@code release} gives the message back to the queue. While the replica drains, nothing is
 * claimed: the logs stay for the other replicas' pollers.
 */
@ApplicationScoped
public class DeliveryConsumer {
    static final String CHANNEL = "events-in";

    private final DeliveryClaims claims;
    private final Dispatcher dispatcher;
    private final InFlight inFlight;
    private final DeliveryMetrics metrics;
    private final DeliveryConfig config;
    private final DatabaseOutage database;

    DeliveryConsumer(DeliveryClaims claims, Dispatcher dispatcher, InFlight inFlight, DeliveryMetrics metrics,
            DeliveryConfig config, DatabaseOutage database) {
        this.database = database;
        this.claims = claims;
        this.dispatcher = dispatcher;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.config = config;
    }

    @Incoming(CHANNEL)
    @Blocking(value = "delivery-claims", ordered = false)
    public void consume(String message) throws InterruptedException {
        metrics.handedOff(publishedAt(message));
        Set<UUID> eventRefs = parse(message);
        if (eventRefs.isEmpty()) {
            Log.warn("Dropping a queue message that holds no event id");
            metrics.dropped();
            return;
        }
        long deadline = System.nanoTime() + config.handOffGrace().toNanos();
        int claimedInAll = 0;
        while (System.nanoTime() < deadline) {
            int slots = inFlight.reserve(config.claimBatch(), config.handOffGrace());
            if (slots == 0) {
                return; // draining, or no slot for the whole grace: the due poller takes the logs
            }
            List<Delivery> claimed;
            try {
                claimed = claims.claimNew(eventRefs, slots);
            } catch (RuntimeException e) {
                inFlight.release(slots);
                metrics.claimFailed();
                if (DatabaseErrors.isUnavailable(e)) {
                    database.failed(e);
                } else {
                    Log.warnf("Claiming the deliveries of %d events failed (%s); the message goes back to the queue in %s",
                            eventRefs.size(), DatabaseErrors.describe(e), config.consumerRetryDelay());
                }
                Thread.sleep(config.consumerRetryDelay().toMillis());
                throw e;
            }
            inFlight.release(slots - claimed.size());
            dispatcher.dispatch(claimed);
            claimedInAll += claimed.size();
            if (claimed.size() < slots) {
                break; // nothing of this message is left unclaimed
            }
        }
        if (claimedInAll == 0 && !claims.anyEventExists(eventRefs)) {
            Log.warnf("Dropping a queue message about %d events that this database does not hold", eventRefs.size());
            metrics.dropped();
        }
    }

    /** When ingest published the message (epoch millis), or -1 when it does not say. */
    static long publishedAt(String message) {
        if (message == null || !message.startsWith(EventPublisher.PUBLISHED_AT)) {
            return -1;
        }
        int end = message.indexOf('\n');
        try {
            return Long.parseLong(message.substring(EventPublisher.PUBLISHED_AT.length(), end < 0 ? message.length() : end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Event ids, one per line, after comment lines ({@code #}); anything else makes the message unreadable. */
    static Set<UUID> parse(String message) {
        Set<UUID> refs = new LinkedHashSet<>();
        if (message == null) {
            return refs;
        }
        for (String line : message.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                refs.add(UUID.fromString(trimmed));
            } catch (IllegalArgumentException e) {
                return Set.of();
            }
        }
        return refs;
    }
}
