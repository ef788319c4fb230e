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
        @Schema(description = "How long the last attempt took in milliseconds, from connecting to the end of the part of the answer read; null before the first attempt.", nullable = true, example = "42") Integer durationMs,
        @Schema(nullable = true, description = "Set while this pending delivery waits behind an earlier one to its `fifo` destination: the delivery it waits for, and why that one has not ended yet. Null otherwise.") WaitingFor waitingFor) {

    /** The delivery ahead in the destination's queue that holds this one back. */
    @Schema(name = "DeliveryLogWaitingFor")
    public record WaitingFor(
            @Schema(description = "The log at the head of the destination's queue.") UUID logId,
            @Schema(example = "order-1041") String eventId,
            @Schema(example = "event order-1041 ahead of it in the destination's fifo order has failed 3 attempts (last: HTTP 503); its next attempt is due at 2026-11-29T22:41:07Z") String reason) {

        static WaitingFor on(DeliveryLog head, Instant now) {
            String ahead = "event " + head.eventId + " ahead of it in the destination's fifo order";
            String reason;
            if (head.isInFlight(now)) {
                reason = ahead + " is being sent";
            } else if (head.attempts == 0) {
                reason = ahead + " has not been attempted yet";
            } else {
                reason = "%s has failed %d attempt%s (last: %s); its next attempt is due at %s".formatted(ahead,
                        head.attempts, head.attempts == 1 ? "" : "s", head.error, head.nextAttemptAt);
            }
            return new WaitingFor(head.id, head.eventId, reason);
        }
    }

    public static DeliveryLogResponse of(DeliveryLog log, String receivedData, WaitingFor waitingFor) {
        return new DeliveryLogResponse(log.id, log.eventId, log.accountId, log.destinationId, log.receivedAt,
                log.processedAt, receivedData, log.status, log.attempts, log.responseStatus, log.error, log.responseBody,
                log.durationMs, waitingFor);
    }
}
