package io.datapusher.destination;

import java.util.UUID;

/**
 * Fired in the transaction that turns a {@code fifo} destination {@code unordered}: the deliveries
 * waiting in its queue are to go at once.
 */
public record OrderingDropped(UUID destinationId) {
}
