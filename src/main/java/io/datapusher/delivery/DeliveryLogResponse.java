package io.datapusher.delivery;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonRawValue;

@Schema(name = "DeliveryLog", description = "The delivery of one event to one destination.")
public record DeliveryLogResponse(
        UUID id,
        @Schema(description = "The CL-X-EVENT-ID the event was received with.", example = "order-1042") String eventId,
        UUID accountId,
        UUID destinationId,
        @Schema(description = "When the event was received.") Instant receivedTimestamp,
        @Schema(description = "When the last attempt ended; null while pending.", nullable = true) Instant processedTimestamp,
        @JsonRawValue @Schema(implementation = Object.class, type = SchemaType.OBJECT, description = "The JSON object exactly as it was received: the same bytes, so duplicate keys, number spellings and whitespace are kept.", example = "{\"order\": 1042, \"total\": 19.90}") String receivedData,
        @Schema(description = "`pending` until the delivery ends, then `success` or `failed`; `skipped` when it was not sent on purpose: its destination is disabled, or the destination's `filter` does not match the event (`error` says which).") DeliveryStatus status,
        @Schema(description = "Attempts made so far, redeliveries included.", example = "1") int attempts,
        @Schema(description = "HTTP status of the last answer; null when there was none (not tried yet, timeout, connection error).", nullable = true, example = "200") Integer responseStatus,
        @Schema(description = "Why the last attempt failed, in short; null after a success.", nullable = true, example = "HTTP 503") String error,
        @Schema(description = "The first 256 characters of the last answer's body (invalid UTF-8 replaced); null when there was none.", nullable = true, example = "{\"received\": true}") String responseBody,
        @Schema(description = "How long the last attempt took in milliseconds, from connecting to the end of the part of the answer read; null before the first attempt.", nullable = true, example = "42") Integer durationMs) {

    public static DeliveryLogResponse of(DeliveryLog log, String receivedData) {
        return new DeliveryLogResponse(log.id, log.eventId, log.accountId, log.destinationId, log.receivedAt,
                log.processedAt, receivedData, log.status, log.attempts, log.responseStatus, log.error, log.responseBody,
                log.durationMs);
    }
}
