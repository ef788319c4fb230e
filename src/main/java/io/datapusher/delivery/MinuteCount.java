package io.datapusher.delivery;

import java.time.Instant;

/** How many logs ended with {@code status} in the minute that starts at {@code minute}. */
public record MinuteCount(Instant minute, DeliveryStatus status, long count) {
}
