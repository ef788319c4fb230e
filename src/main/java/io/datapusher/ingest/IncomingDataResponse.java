package io.datapusher.ingest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

@Schema(name = "DataReceived")
@JsonInclude(JsonInclude.Include.NON_NULL)
// Sent inside a Response (created answers, exception mappers): a native build cannot see it there.
@RegisterForReflection
public record IncomingDataResponse(
        @Schema(example = "true") boolean success,
        @Schema(example = "Data Received") String message,
        @Schema(description = "The CL-X-EVENT-ID of the request.", example = "order-1234") String eventId,
        @Schema(description = "Present, and true, when this event id was already received for the account; it is not delivered again.") Boolean duplicate) {

    static IncomingDataResponse of(String eventId, boolean duplicate) {
        return new IncomingDataResponse(true, "Data Received", eventId, duplicate ? Boolean.TRUE : null);
    }
}
