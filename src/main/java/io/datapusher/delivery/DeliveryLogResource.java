package io.datapusher.delivery;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.datapusher.common.QueryParams;
import io.datapusher.member.AccountAccess;
import io.datapusher.member.AccountOperation;
import io.quarkus.security.Authenticated;

@Path("/accounts/{account_id}/logs")
@Tag(name = "Delivery logs", description = "One log per event and destination: its status, attempts and last answer.")
@Authenticated
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = "Unauthenticated")
public class DeliveryLogResource {
    private final DeliveryLogService logs;

    DeliveryLogResource(DeliveryLogService logs) {
        this.logs = logs;
    }

    @GET
    @AccountAccess(AccountOperation.LOG_READ)
    @Operation(operationId = "listDeliveryLogs", summary = "List an account's delivery logs", description = """
            Newest first: by `received_timestamp` descending, then by `id` descending, so the order is total \
            and stable. Admins and normal members may read.

            **Filters**, all optional and combined with AND: `destination_id`, `status`, `event_id` (the \
            CL-X-EVENT-ID, matched exactly), and two time ranges, on `received_timestamp` and on \
            `processed_timestamp`. A range is half-open: `*_from` inclusive, `*_to` exclusive. A processed \
            range leaves out pending logs, which have no processed time.

            **Paging** is by keyset, not by offset: answer `next_cursor` is null on the last page; otherwise \
            pass it back as `cursor`, with the same filters, for the next `limit` items. A cursor marks the \
            position after the last item shown, so logs received meanwhile never shift or repeat items on \
            later pages, and a deep page costs what the first one does. A cursor is opaque and does not \
            expire.

            A bad value of any parameter is a 400 whose `errors[0].field` names it.""")
    @APIResponse(responseCode = "200", description = "One page of logs", content = @Content(schema = @Schema(implementation = LogPage.class)))
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public LogPage list(
            @PathParam("account_id") UUID accountId,
            @Parameter(description = "Only logs of this destination.", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @QueryParam("destination_id") String destinationId,
            @Parameter(description = "Only logs in this state.", schema = @Schema(implementation = DeliveryStatus.class)) @QueryParam("status") String status,
            @Parameter(description = "Only logs of the event received with this CL-X-EVENT-ID (exact match, up to 255 characters).") @QueryParam("event_id") String eventId,
            @Parameter(description = "Received at or after this time (ISO-8601 with offset).", example = "2026-11-28T00:00:00Z", schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("received_from") String receivedFrom,
            @Parameter(description = "Received before this time (exclusive).", example = "2026-11-29T00:00:00Z", schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("received_to") String receivedTo,
            @Parameter(description = "Last attempt ended at or after this time.", schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("processed_from") String processedFrom,
            @Parameter(description = "Last attempt ended before this time (exclusive).", schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("processed_to") String processedTo,
            @Parameter(description = "Items per page, 1 to 200.", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200", defaultValue = "50")) @QueryParam("limit") String limit,
            @Parameter(description = "The `next_cursor` of the previous page; leave out for the first page.") @QueryParam("cursor") String cursor) {
        LogFilter filter = LogFilter.parse(destinationId, status, eventId, receivedFrom, receivedTo, processedFrom,
                processedTo);
        int size = QueryParams.intParam("limit", limit, DeliveryLogService.DEFAULT_LIMIT, 1, DeliveryLogService.MAX_LIMIT);
        return logs.list(accountId, filter, LogCursor.decode(cursor), size);
    }

    @GET
    @Path("/{log_id}")
    @AccountAccess(AccountOperation.LOG_READ)
    @Operation(operationId = "getDeliveryLog", summary = "Read one delivery log", description = "Admins and normal members may read.")
    @APIResponse(responseCode = "200", description = "The log", content = @Content(schema = @Schema(implementation = DeliveryLogResponse.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public DeliveryLogResponse get(@PathParam("account_id") UUID accountId, @PathParam("log_id") UUID logId) {
        return logs.get(accountId, logId);
    }

    @POST
    @Path("/{log_id}/redeliver")
    @AccountAccess(AccountOperation.LOG_REDELIVER)
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "redeliver", summary = "Deliver a log again", description = """
            Admins only. No body. The same log goes back to `pending`, due at once, with \
            `datapusher.delivery.max-attempts` more attempts; `attempts` is counted on, not reset, and \
            `processed_timestamp` is null again until the next attempt ends. `response_status` and `error` \
            keep the last attempt's values until then. The due poller sends it on its next round; it then \
            ends `success` or `failed` as any delivery does.

            Any log may be redelivered, also a pending one waiting for its next retry (which is then due at \
            once), except a log whose attempt is under way at this moment: that is a 409, try again when \
            the attempt has ended.""")
    @APIResponse(responseCode = "202", description = "Scheduled", content = @Content(schema = @Schema(implementation = RedeliveryResponse.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", description = "`Conflict`: a worker is sending this log right now.", content = @Content(schema = @Schema(ref = "ApiError"), example = """
            {"success": false, "message": "Conflict", "errors": [{"field": "log_id", "message": "is being delivered right now; try again when this attempt has ended"}]}"""))
    public Response redeliver(@PathParam("account_id") UUID accountId, @PathParam("log_id") UUID logId) {
        return Response.accepted(RedeliveryResponse.scheduled(logs.redeliver(accountId, logId))).build();
    }
}
