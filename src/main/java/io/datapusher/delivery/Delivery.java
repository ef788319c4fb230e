package io.datapusher.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.datapusher.destination.DeliveryMethod;

/**
 * A claimed delivery log with what its next attempt needs, read by the claiming statement.
 *
 * @param claimToken the claim's fence: the outcome is written only while the log still carries it
 * @param claimedAtNanos {@link System#nanoTime()} when the claim returned; the lease counts from about then
 * @param attempts attempts made before this one
 * @param signingSecrets the destination's secret, then the one a rotation replaced while it still signs
 * @param receivedAt when the event was received (for the receive-to-delivered latency)
 */
public record Delivery(UUID logId, UUID claimToken, long claimedAtNanos, UUID destinationId, String eventId,
        int attempts, int attemptLimit, DeliveryMethod method, String url, Map<String, String> headers,
        List<String> signingSecrets, byte[] payload, Instant receivedAt) {
}
