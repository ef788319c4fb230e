package io.datapusher.delivery;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@Schema(name = "Recovery", description = "The deliveries queued again; the due poller sends them as it does retries.")
// Sent inside a Response (created answers, exception mappers): a native build cannot see it there.
@RegisterForReflection
public record RecoveryResponse(
        @Schema(example = "true") boolean success,
        @Schema(example = "Recovery scheduled") String message,
        @Schema(description = "How many deliveries went back to pending.", example = "1042") long recovered) {

    static RecoveryResponse scheduled(long recovered) {
        return new RecoveryResponse(true, "Recovery scheduled", recovered);
    }
}
