package io.datapusher.delivery;

import java.util.Map;
import java.util.UUID;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.destination.Destination;

/**
 * A claimed delivery log with what its next attempt needs, read in the claiming transaction.
 *
 * @param attempts attempts made before this one; the outcome is written only if it is unchanged
 */
public record Delivery(UUID logId, UUID destinationId, String eventId, int attempts, int attemptLimit,
        DeliveryMethod method, String url, Map<String, String> headers, String signingSecret, byte[] payload) {

    static Delivery of(UUID logId, String eventId, int attempts, int attemptLimit, Destination destination,
            byte[] payload) {
        return new Delivery(logId, destination.id, eventId, attempts, attemptLimit, destination.httpMethod,
                destination.url, destination.headers == null ? Map.of() : Map.copyOf(destination.headers),
                destination.signingSecret, payload);
    }
}
