package io.datapusher.delivery;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.Causes;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Non-blocking outbound HTTP on the Vert.x core client: one pool of keep-alive connections per
 * destination address, no redirects followed, one deadline per attempt (connect to answer). It
 * connects to the addresses the caller resolved and checked, while the URL's host goes in the Host
 * header and TLS SNI, so DNS cannot change the address between the check and the connection.
 */
@ApplicationScoped
public class WebhookClient {
    private final Vertx vertx;
    private final HttpClient http;
    private final long timeoutMs;

    WebhookClient(Vertx vertx, DeliveryConfig config) {
        this.vertx = vertx;
        this.timeoutMs = config.timeout().toMillis();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setMaxPoolSize(config.maxConnectionsPerHost())
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
                .setVerifyHost(true)
                .setTryUseCompression(false));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** Bytes of a response body read for the log; the rest is read and dropped (connection reuse). */
    static final int BODY_BYTES = 1024;

    /**
     * Makes one attempt, connecting to the addresses in turn: when one cannot be connected to
     * (refused, unreachable, TLS handshake failed), the next is tried within the same deadline, as
     * nothing was sent yet. The stage always completes normally; failures are outcomes. The answer
     * counts from its status line; the stage completes with the start of its body once the body
     * ended, {@link #BODY_BYTES} of it came, or the deadline passed (the status still counts then).
     * The rest of the body is read and dropped, so that the connection can be reused.
     *
     * @param addresses the destination's addresses, checked by the guard, at least one
     */
    public CompletionStage<AttemptOutcome> send(WebhookRequest request, List<InetAddress> addresses) {
        CompletableFuture<AttemptOutcome> outcome = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
        Answer answer = new Answer();
        long timer = vertx.setTimer(timeoutMs, id -> {
            AttemptOutcome byStatus = answer.byStatus;
            if (byStatus != null) {
                outcome.complete(byStatus.withResponseBody(text(answer.body)));
            } else if (outcome.complete(AttemptOutcome.retry(null, "timeout after " + timeoutMs + " ms", null))) {
                HttpClientRequest started = inFlight.get();
                if (started != null) {
                    started.reset();
                }
            }
        });
        outcome.whenComplete((o, t) -> vertx.cancelTimer(timer));
        open(request, addresses, 0, outcome, inFlight, answer);
        return outcome;
    }

    private void open(WebhookRequest request, List<InetAddress> addresses, int index,
            CompletableFuture<AttemptOutcome> outcome, AtomicReference<HttpClientRequest> inFlight, Answer answer) {
        http.request(options(request, addresses.get(index))).onComplete(opened -> {
            if (opened.failed()) {
                if (index + 1 < addresses.size() && !outcome.isDone()) {
                    open(request, addresses, index + 1, outcome, inFlight, answer);
                } else {
                    outcome.complete(ofFailure(opened.cause()));
                }
                return;
            }
            HttpClientRequest req = opened.result();
            inFlight.set(req);
            if (outcome.isDone()) {
                req.reset();
                return;
            }
            req.send(Buffer.buffer(request.body())).onComplete(answered -> {
                if (answered.failed()) {
                    outcome.complete(ofFailure(answered.cause()));
                    return;
                }
                HttpClientResponse response = answered.result();
                AttemptOutcome byStatus = AttemptOutcome.ofStatus(response.statusCode(),
                        Backoff.parseRetryAfter(response.getHeader("Retry-After"), Instant.now()));
                answer.byStatus = byStatus;
                // all on the connection's event loop, so the buffer needs no lock
                response.handler(chunk -> {
                    Buffer body = answer.body;
                    if (body.length() < BODY_BYTES) {
                        body.appendBuffer(chunk, 0, Math.min(chunk.length(), BODY_BYTES - body.length()));
                        if (body.length() >= BODY_BYTES) {
                            outcome.complete(byStatus.withResponseBody(text(body)));
                        }
                    }
                });
                response.exceptionHandler(e -> outcome.complete(byStatus.withResponseBody(text(answer.body))));
                response.endHandler(v -> outcome.complete(byStatus.withResponseBody(text(answer.body))));
            });
        });
    }

    /** The answer as far as it came: the outcome its status line gives, and the start of its body. */
    private static final class Answer {
        volatile AttemptOutcome byStatus;
        final Buffer body = Buffer.buffer();
    }

    /** The body's start as text for the log: invalid UTF-8 replaced, nothing beyond what the log keeps. */
    private static String text(Buffer body) {
        if (body.length() == 0) {
            return null;
        }
        String text;
        try {
            text = body.toString(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            // the deadline's timer may read while the connection's loop appends: the body is a bonus
            return null;
        }
        // PostgreSQL text cannot hold NUL
        text = text.replace('\u0000', '\uFFFD');
        return text.isBlank() ? null : text;
    }

    private RequestOptions options(WebhookRequest request, InetAddress address) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method().name()))
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, request.port())))
                .setHost(request.host())
                .setPort(request.port())
                .setSsl(request.ssl())
                .setURI(request.uri())
                .setFollowRedirects(false)
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs);
        for (Map.Entry<String, String> header : request.headers()) {
            options.addHeader(header.getKey(), header.getValue());
        }
        return options;
    }

    /** Connection-level failures are all retried; the error names the kind, never the address. */
    static AttemptOutcome ofFailure(Throwable failure) {
        String error;
        if (Causes.has(failure, TimeoutException.class) || Causes.has(failure, ConnectTimeoutException.class)
                || String.valueOf(failure.getMessage()).contains("timeout")) {
            error = "timeout";
        } else if (Causes.has(failure, ConnectException.class)) {
            error = "connection refused";
        } else if (Causes.has(failure, NoRouteToHostException.class)) {
            error = "no route to host";
        } else if (Causes.has(failure, SSLException.class)) {
            error = "TLS handshake failed";
        } else if (String.valueOf(failure.getMessage()).toLowerCase().contains("closed")) {
            error = "connection closed by the destination";
        } else {
            error = "connection error (" + failure.getClass().getSimpleName() + ")";
        }
        return AttemptOutcome.retry(null, error, null);
    }
}
