package io.datapusher.delivery;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@Schema(name = "Redelivery", description = "The log is pending again; the due poller sends it as soon as it next looks.")
// Sent inside a Response (created answers, exception mappers): a native build cannot see it there.
@RegisterForReflection
public record RedeliveryResponse(
        @Schema(example = "true") boolean success,
        @Schema(example = "Redelivery scheduled") String message,
        UUID logId) {

    static RedeliveryResponse scheduled(UUID logId) {
        return new RedeliveryResponse(true, "Redelivery scheduled", logId);
    }
}
