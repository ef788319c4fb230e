package io.datapusher.destination;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

@Schema(name = "Destination")
// Sent inside a Response (created answers, exception mappers): a native build cannot see it there.
@RegisterForReflection
public record DestinationResponse(
        UUID id,
        UUID accountId,
        @Schema(example = "https://hooks.example.com/orders") String url,
        @Schema(enumeration = {
                "GET", "POST", "PUT" }, example = "POST") DeliveryMethod httpMethod,
        @Schema(example = "{\"Authorization\": \"Bearer abc\"}") Map<String, String> headers,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", nullable = true, description = "The Standard Webhooks secret that signs deliveries (webhook-signature). Like the account's app_secret_token, present only for the account's admins.") String signingSecret,
        @Schema(nullable = true, description = "Until when the secret replaced by the last rotation still signs deliveries beside `signing_secret`; null when none does. Present only for the account's admins.") @JsonInclude(JsonInclude.Include.NON_NULL) Instant previousSecretExpiresAt,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "Id of the user who created it.") UUID createdBy,
        @Schema(description = "Id of the user who changed it last.") UUID updatedBy){

    public static DestinationResponse of(Destination d, boolean showSecret) {
        Instant previousUntil = showSecret && d.previousSecretExpiresAt != null
                && d.previousSecretExpiresAt.isAfter(Instant.now()) ? d.previousSecretExpiresAt : null;
        return new DestinationResponse(d.id, d.accountId, d.url, d.httpMethod, d.headers, showSecret ? d.signingSecret : null,
                previousUntil, d.createdAt, d.updatedAt, d.createdBy, d.updatedBy);
    }
}
