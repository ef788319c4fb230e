package io.datapusher.delivery;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.datapusher.member.AccountAccess;
import io.datapusher.member.AccountOperation;
import io.quarkus.security.Authenticated;

/** Bulk recovery: a destination's deliveries in a window queued again with one call. */
@Path("/accounts/{account_id}/destinations/{destination_id}/recover")
@Tag(name = "Delivery logs")
@Authenticated
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = "Unauthenticated")
public class RecoveryResource {
    private final DeliveryLogService logs;

    RecoveryResource(DeliveryLogService logs) {
        this.logs = logs;
    }

    @POST
    @AccountAccess(AccountOperation.LOG_REDELIVER)
    @Operation(operationId = "recoverDeliveries", summary = "Deliver a window of a destination's logs again", description = """
            Admins only. Every delivery of the destination whose event was received in \
            [`since`, `until`) and whose last outcome is `status` (`failed` unless given) goes back to \
            `pending`, due at once, with `datapusher.delivery.max-attempts` more attempts, as a \
            redelivery of each would; one call, whatever their number. Calling it again while they are \
            pending recovers none of them twice. The due poller sends them as it sends retries.""")
    @APIResponse(responseCode = "202", description = "Scheduled", content = @Content(schema = @Schema(implementation = RecoveryResponse.class)))
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response recover(@Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @Parameter(description = "The destination.") @PathParam("destination_id") UUID destinationId,
            @NotNull @Valid RecoveryRequest request) {
        return Response.accepted(RecoveryResponse.scheduled(logs.recover(accountId, destinationId, request))).build();
    }
}
