package io.datapusher.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.destination.EventFilter;

/**
 * A claimed delivery log with what its next attempt needs, read by the claiming statement.
 *
 * @param claimToken the claim's fence: the outcome is written only while the log still carries it
 * @param claimedAtNanos {@link System#nanoTime()} when the claim returned; the lease counts from about then
 * @param attempts attempts made before this one
 * @param signingSecrets the destination's secret, then the one a rotation replaced while it still signs
 * @param receivedAt when the event was received (for the receive-to-delivered latency)
 * @param settings whether, which events and how fast the destination takes deliveries
 * @param ordered it has a place in its {@code fifo} destination's queue: its end lets the next one go
 */
public record Delivery(UUID logId, UUID claimToken, long claimedAtNanos, UUID destinationId, String eventId,
        int attempts, int attemptLimit, DeliveryMethod method, String url, Map<String, String> headers,
        List<String> signingSecrets, byte[] payload, Instant receivedAt, Settings settings, boolean ordered) {

    /**
     * The destination's delivery settings as the claim read them.
     *
     * @param disabledReason why it is disabled; null while enabled
     * @param filter null: every event
     * @param maxPerSecond null: no limit
     */
    public record Settings(String disabledReason, EventFilter filter, Integer maxPerSecond) {
        public static final Settings DEFAULT = new Settings(null, null, null);
    }

    /** The same delivery, as if claimed at {@code nanos}. */
    Delivery claimedAt(long nanos) {
        return new Delivery(logId, claimToken, nanos, destinationId, eventId, attempts, attemptLimit, method, url,
                headers, signingSecrets, payload, receivedAt, settings, ordered);
    }
}
