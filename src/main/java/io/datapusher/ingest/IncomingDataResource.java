package io.datapusher.ingest;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.datapusher.account.AccountTokens;
import io.datapusher.common.ApiException;
import io.datapusher.common.Causes;
import io.datapusher.common.DatabaseErrors;
import io.datapusher.ingest.IngestMetrics.Outcome;
import io.smallrye.mutiny.infrastructure.Infrastructure;

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
    /** A replica whose database is not keeping up asks for a short pause; another replica may take it at once. */
    private static final long OVERLOADED_RETRY_AFTER_SECONDS = 1;

    private final AccountTokens tokens;
    private final GroupCommit groupCommit;
    private final IngestMetrics metrics;
    private final long maxBodySize;
    private final Executor blocking = Infrastructure.getDefaultWorkerPool();

    IncomingDataResource(AccountTokens tokens, GroupCommit groupCommit, IngestMetrics metrics, IngestConfig config) {
        this.tokens = tokens;
        this.groupCommit = groupCommit;
        this.metrics = metrics;
        this.maxBodySize = config.maxBodySize().asLongValue();
    }

    @POST
    @Operation(operationId = "receiveEvent", summary = "Receive an event", description = """
            Checked in this order: another method answers 405; no `CL-X-TOKEN` 401; a body over \
            `datapusher.ingest.max-body-size` 413; a body that is not one JSON object (UTF-8), a \
            content type other than `application/json` (charset, if given, UTF-8), or a \
            `CL-X-EVENT-ID` that is missing or not 1 to 255 printable ASCII characters 400; an unknown \
            token 401; over `datapusher.ingest.rate-per-second` for the account, counted across all \
            replicas, 429 with `Retry-After`. Otherwise the event is committed to PostgreSQL and answered 202; it is then \
            delivered in the background to every destination of the account. The same \
            `CL-X-EVENT-ID` again for the account answers 202 with `duplicate: true` and is not \
            delivered again.

            **Rate limit.** One token bucket per account, shared by all replicas: it holds \
            `rate-per-second` tokens (5 by default, at least 1), refills continuously at that rate, and \
            each accepted or duplicate request takes one. A full bucket lets a burst of 5 through at \
            once, then one request every 0.2 s: 6 in the first 0.25 s, 10 in the first second. A \
            refused request takes nothing; `Retry-After` says in how many whole seconds a token is there.""")
    @SecurityRequirement(name = "app_token")
    @RequestBody(required = true, description = "Any JSON object; delivered byte for byte (POST, PUT) or as query parameters (GET).", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "202", description = "Committed; delivery follows in the background", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IncomingDataResponse.class)))
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    public CompletionStage<Response> receive(
            @Parameter(hidden = true) @HeaderParam(TOKEN_HEADER) String token,
            @Parameter(description = "1 to 255 printable ASCII characters, unique per event for the account; sent on as `webhook-id`.", required = true) @HeaderParam(EVENT_ID_HEADER) String eventId,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            byte[] body) {
        // On the event loop: every check below is in memory; the database is reached through the
        // group commit, and for a token the in-memory map cannot answer, on a worker thread.
        if (token == null || token.isBlank()) {
            throw fail(Outcome.UNAUTHENTICATED, ApiException.unauthenticated());
        }
        byte[] payload = body == null ? new byte[0] : body;
        if (isTooLarge(contentLength, payload)) {
            throw fail(Outcome.TOO_LARGE, ApiException.payloadTooLarge());
        }
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
        return accountOf(token)
                .thenCompose(accountId -> {
                    if (accountId.isEmpty()) {
                        throw fail(Outcome.UNAUTHENTICATED, ApiException.unauthenticated());
                    }
                    return groupCommit.submit(accountId.get(), eventId, payload);
                })
                .handle((intake, failure) -> answer(eventId, intake, failure));
    }

    private CompletionStage<Optional<UUID>> accountOf(String token) {
        AccountTokens.Lookup lookup = tokens.fromMemory(token);
        if (lookup instanceof AccountTokens.Lookup.Known known) {
            return CompletableFuture.completedFuture(Optional.of(known.accountId()));
        }
        if (lookup instanceof AccountTokens.Lookup.Unknown) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.supplyAsync(() -> tokens.fromDatabase(token), blocking);
    }

    private Response answer(String eventId, Intake intake, Throwable failure) {
        if (failure != null) {
            Throwable cause = Causes.unwrap(failure);
            if (cause instanceof ApiException api) {
                throw api;
            }
            if (cause instanceof GroupCommit.Overloaded) {
                throw fail(Outcome.UNAVAILABLE, ApiException.unavailable(OVERLOADED_RETRY_AFTER_SECONDS));
            }
            if (DatabaseErrors.isUnavailable(cause)) {
                metrics.count(Outcome.UNAVAILABLE);
            }
            throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
        }
        if (intake instanceof Intake.Limited limited) {
            throw fail(Outcome.RATE_LIMITED, ApiException.tooManyRequests(limited.retryAfterSeconds()));
        }
        if (intake instanceof Intake.AccountGone) {
            // The token was still known here a moment after another replica deleted its account.
            throw fail(Outcome.UNAUTHENTICATED, ApiException.unauthenticated());
        }
        Intake.Accepted accepted = (Intake.Accepted) intake;
        metrics.count(accepted.duplicate() ? Outcome.DUPLICATE : Outcome.ACCEPTED);
        return Response.accepted(IncomingDataResponse.of(eventId, accepted.duplicate())).build();
    }

    /** A declared length over the limit is refused as such, whatever was read. */
    private boolean isTooLarge(String contentLength, byte[] payload) {
        if (payload.length > maxBodySize) {
            return true;
        }
        if (contentLength != null) {
            try {
                return Long.parseLong(contentLength.trim()) > maxBodySize;
            } catch (NumberFormatException e) {
                throw fail(Outcome.INVALID, ApiException.invalid("Content-Length", "is not a number"));
            }
        }
        return false;
    }

    private ApiException fail(Outcome outcome, ApiException e) {
        metrics.count(outcome);
        return e;
    }
}
