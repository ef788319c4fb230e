package io.datapusher.delivery;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Redelivery", description = "The log is pending again; the retry poller sends it as soon as it next looks.")
public record RedeliveryResponse(
        @Schema(example = "true") boolean success,
        @Schema(example = "Redelivery scheduled") String message,
        UUID logId) {

    static RedeliveryResponse scheduled(UUID logId) {
        return new RedeliveryResponse(true, "Redelivery scheduled", logId);
    }
}
