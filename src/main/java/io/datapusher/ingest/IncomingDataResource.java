package io.datapusher.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.datapusher.account.AccountTokens;
import io.datapusher.common.ApiError;
import io.datapusher.common.ApiException;
import io.datapusher.common.ErrorMappers;
import io.datapusher.common.ErrorMessage;
import io.datapusher.ingest.IngestMetrics.Outcome;

/**
 * POST /server/incoming_data: the contract's checks in the contract's order, then the event is
 * committed, answered 202, and handed to the broker.
 */
@Path("/server/incoming_data")
@Tag(name = "Receiving data")
@Produces(MediaType.APPLICATION_JSON)
public class IncomingDataResource {
    static final String TOKEN_HEADER = "CL-X-TOKEN";
    static final String EVENT_ID_HEADER = "CL-X-EVENT-ID";

    private final AccountTokens tokens;
    private final IngestService ingest;
    private final EventPublisher publisher;
    private final IngestMetrics metrics;
    private final long maxBodySize;

    IncomingDataResource(AccountTokens tokens, IngestService ingest, EventPublisher publisher, IngestMetrics metrics,
            IngestConfig config) {
        this.tokens = tokens;
        this.ingest = ingest;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxBodySize = config.maxBodySize().asLongValue();
    }

    @POST
    @Operation(summary = "Receive an event", description = """
            Checked in this order: another method answers 405; no `CL-X-TOKEN` 401; a body over \
            `datapusher.ingest.max-body-size` 413; a body that is not one JSON object (UTF-8), a \
            content type other than `application/json` (charset, if given, UTF-8), or a \
            `CL-X-EVENT-ID` that is missing or not 1 to 255 printable ASCII characters 400; an unknown \
            token 401; over `datapusher.ingest.rate-per-second` for the account, counted across all \
            replicas, 429. Otherwise the event is committed to PostgreSQL and answered 202; it is then \
            delivered in the background to every destination of the account. The same \
            `CL-X-EVENT-ID` again for the account answers 202 with `duplicate: true` and is not \
            delivered again.""")
    @RequestBody(required = true, description = "Any JSON object; delivered byte for byte (POST, PUT) or as query parameters (GET).", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "202", description = "Committed; delivery follows in the background", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IncomingDataResponse.class)))
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    public Response receive(
            @Parameter(description = "The account's `app_secret_token`.", required = true) @HeaderParam(TOKEN_HEADER) String token,
            @Parameter(description = "1 to 255 printable ASCII characters, unique per event for the account; sent on as `webhook-id`.", required = true) @HeaderParam(EVENT_ID_HEADER) String eventId,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            InputStream body) {
        if (token == null || token.isBlank()) {
            throw fail(Outcome.UNAUTHENTICATED, ApiException.unauthenticated());
        }
        byte[] payload = readBounded(body, contentLength);
        if (!IncomingData.isJsonContentType(contentType)) {
            throw fail(Outcome.INVALID, ApiException.invalid("Content-Type", "must be application/json"));
        }
        if (!IncomingData.isValidEventId(eventId)) {
            throw fail(Outcome.INVALID,
                    ApiException.invalid(EVENT_ID_HEADER, "must be 1 to 255 printable ASCII characters"));
        }
        if (!IncomingData.isJsonObject(payload)) {
            throw fail(Outcome.INVALID, ApiException.invalid("body", "must be a JSON object"));
        }
        try {
            Optional<UUID> accountId = tokens.accountIdFor(token);
            if (accountId.isEmpty()) {
                throw fail(Outcome.UNAUTHENTICATED, ApiException.unauthenticated());
            }
            Intake intake = ingest.accept(accountId.get(), eventId, payload);
            if (intake instanceof Intake.Limited limited) {
                throw fail(Outcome.RATE_LIMITED, ApiException.tooManyRequests(limited.retryAfterSeconds()));
            }
            Intake.Accepted accepted = (Intake.Accepted) intake;
            if (accepted.duplicate()) {
                metrics.count(Outcome.DUPLICATE);
            } else {
                metrics.count(Outcome.ACCEPTED);
                publisher.publish(accepted.eventRef());
            }
            return Response.accepted(IncomingDataResponse.of(eventId, accepted.duplicate())).build();
        } catch (RuntimeException e) {
            if (ErrorMappers.isDatabaseUnavailable(e)) {
                metrics.count(Outcome.UNAVAILABLE);
            } else if (isAccountGone(e)) {
                // The token was still cached here (for up to 1 s) after another replica deleted its account.
                throw fail(Outcome.UNAUTHENTICATED, ApiException.unauthenticated());
            }
            throw e;
        }
    }

    /**
     * Reads at most one byte more than the limit, so a large body is refused without being held;
     * a declared Content-Length over the limit is refused before reading at all.
     */
    private byte[] readBounded(InputStream body, String contentLength) {
        if (contentLength != null) {
            try {
                if (Long.parseLong(contentLength.trim()) > maxBodySize) {
                    throw fail(Outcome.TOO_LARGE, ApiException.payloadTooLarge());
                }
            } catch (NumberFormatException e) {
                throw fail(Outcome.INVALID, ApiException.invalid("Content-Length", "is not a number"));
            }
        }
        if (body == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodySize + 1));
            if (bytes.length > maxBodySize) {
                throw fail(Outcome.TOO_LARGE, ApiException.payloadTooLarge());
            }
            return bytes;
        } catch (IOException e) {
            throw fail(Outcome.INVALID, ApiException.invalid("body", "could not be read"));
        }
    }

    /** A foreign-key violation on the account: it was deleted after its token was looked up. */
    private static boolean isAccountGone(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private ApiException fail(Outcome outcome, ApiException e) {
        metrics.count(outcome);
        return e;
    }

    // Every other method answers 405 in the contract's shape, OPTIONS and HEAD included (JAX-RS
    // would answer those itself).

    @GET
    @Operation(hidden = true)
    public Response get() {
        return methodNotAllowed();
    }

    @PUT
    @Operation(hidden = true)
    public Response put() {
        return methodNotAllowed();
    }

    @PATCH
    @Operation(hidden = true)
    public Response patch() {
        return methodNotAllowed();
    }

    @DELETE
    @Operation(hidden = true)
    public Response delete() {
        return methodNotAllowed();
    }

    @HEAD
    @Operation(hidden = true)
    public Response head() {
        return methodNotAllowed();
    }

    @OPTIONS
    @Operation(hidden = true)
    public Response options() {
        return methodNotAllowed();
    }

    private Response methodNotAllowed() {
        metrics.count(Outcome.INVALID);
        return Response.status(Response.Status.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, "POST")
                .type(MediaType.APPLICATION_JSON_TYPE).entity(ApiError.of(ErrorMessage.INVALID_DATA)).build();
    }
}
