package io.datapusher.destination;

import java.time.Instant;
import java.util.List;
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
        @Schema(description = "False: nothing is sent to it, and its deliveries end `skipped`; see `disabled_reason`.") boolean enabled,
        @Schema(nullable = true, example = "every attempt failed for 24h", description = "Why it was disabled: by an admin, after every attempt failed for `datapusher.destinations.disable-after`, or because it answered 410 Gone. Null while enabled.") String disabledReason,
        @Schema(nullable = true) Instant disabledAt,
        Health health,
        @Schema(nullable = true, description = "Conditions on the event's JSON, all of which must hold for it to be delivered here; null: every event.") List<FilterCondition> filter,
        @Schema(nullable = true, description = "At most this many deliveries a second; null: no limit.") Integer maxPerSecond,
        @Schema(description = "`fifo`: one delivery at a time, in the order the events were accepted; `unordered`: as they come.") DeliveryOrdering ordering,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "Id of the user who created it.") UUID createdBy,
        @Schema(description = "Id of the user who changed it last.") UUID updatedBy){

    /**
     * How its deliveries have gone lately. A success may show up to
     * {@code datapusher.destinations.health-success-interval} late; failures show at once.
     */
    @Schema(name = "DestinationHealth")
    @RegisterForReflection
    public record Health(
            @Schema(description = "Failed attempts since the last success.") int consecutiveFailures,
            @Schema(nullable = true, description = "When the failures in a row began; null while the last attempt succeeded.") Instant failingSince,
            @Schema(nullable = true) Instant lastFailureAt,
            @Schema(nullable = true) Instant lastSuccessAt) {
    }

    public static DestinationResponse of(Destination d, boolean showSecret) {
        Instant previousUntil = showSecret && d.previousSecretExpiresAt != null
                && d.previousSecretExpiresAt.isAfter(Instant.now()) ? d.previousSecretExpiresAt : null;
        return new DestinationResponse(d.id, d.accountId, d.url, d.httpMethod, d.headers, showSecret ? d.signingSecret : null,
                previousUntil, d.enabled, d.disabledReason, d.disabledAt,
                new Health(d.consecutiveFailures, d.failingSince, d.lastFailureAt, d.lastSuccessAt), d.filter,
                d.maxPerSecond, d.ordering, d.createdAt, d.updatedAt, d.createdBy, d.updatedBy);
    }
}
