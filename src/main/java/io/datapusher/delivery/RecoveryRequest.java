package io.datapusher.delivery;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of POST .../destinations/{destination_id}/recover: which deliveries to queue again. */
@Schema(name = "RecoveryRequest")
public record RecoveryRequest(
        @NotNull @Schema(required = true, description = "Deliveries of events received at or after this instant.") Instant since,
        @Schema(nullable = true, description = "Deliveries of events received before this instant; none means up to now.") Instant until,
        @Pattern(regexp = "failed|success|skipped", message = "must be failed, success or skipped") @Schema(ref = "DeliveryStatus", description = "Deliveries whose last outcome is this: `failed` (the default), `success` or `skipped` (e.g. while the destination was disabled).") String status) {

    DeliveryStatus statusOrFailed() {
        return status == null ? DeliveryStatus.FAILED : DeliveryStatus.fromCode(status);
    }
}
