package io.datapusher.delivery;

/** One log with the request its attempts send, for the console's log page. */
public record LogDetail(DeliveryLogResponse log, OutgoingRequest request) {
}
