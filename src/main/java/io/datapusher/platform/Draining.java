package io.datapusher.platform;

import java.time.Instant;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.datapusher.common.ErrorMessage;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;

/**
 * Whether this replica is shutting down, and the API's answer while it is: 503 with
 * {@code Retry-After} and {@code Connection: close}, so that a client goes to another replica.
 * Requests already being handled finish: Quarkus waits for them (up to
 * {@code quarkus.shutdown.timeout}), serving new ones meanwhile unless refused here, then closes
 * the HTTP server, so later connections are refused. Health and metrics under {@code /q/} keep
 * answering until then, so that probes and scrapes see the drain.
 *
 * <p>
 * Draining starts at SIGTERM: Quarkus announces its pre-shutdown phase with
 * {@link ShutdownDelayInitiatedEvent} because {@code quarkus.shutdown.delay-enabled=true}; the
 * {@link ShutdownEvent}, which comes only after the HTTP server has closed, starts it too in case
 * the first was not fired. The delivery engine reads {@link #isDraining()} to start no new work
 * ({@code delivery.DeliveryShutdown}): the due poller and the consumer claim nothing more.
 */
@ApplicationScoped
public class Draining {
    /** Seconds a client is asked to wait; any other replica can take the request at once. */
    static final int RETRY_AFTER_SECONDS = 5;
    static final String BODY = "{\"success\":false,\"message\":\"" + ErrorMessage.SERVICE_UNAVAILABLE + "\"}";
    /** Before authentication and every resource: a request refused here does no work. */
    private static final int FILTER_PRIORITY = 10_000;

    private volatile Instant since;

    public boolean isDraining() {
        return since != null;
    }

    /** When draining started; empty while the replica runs. */
    public Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    void onSigterm(@Observes ShutdownDelayInitiatedEvent event) {
        begin();
    }

    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        begin();
    }

    /** Starts draining, for good; Quarkus' shutdown calls it, and tests. */
    public synchronized void begin() {
        if (since == null) {
            since = Instant.now();
            Log.info("Shutting down: the API answers 503 from now on; deliveries in flight may finish, no new ones start");
        }
    }

    void refuseWhileDraining(@Observes Filters filters) {
        filters.register(rc -> {
            if (since == null || rc.normalizedPath().startsWith("/q/")) {
                rc.next();
                return;
            }
            rc.response().setStatusCode(503)
                    .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                    .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(BODY);
        }, FILTER_PRIORITY);
    }
}
