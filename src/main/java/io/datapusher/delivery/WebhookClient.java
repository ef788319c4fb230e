package io.datapusher.delivery;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

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
 * connects to the address the caller resolved and checked, while the URL's host goes in the Host
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

    /** Resolves the URL's host and checks every address; the first one is the one to connect to. */
    public static InetAddress resolve(String host, OutboundGuard guard) throws UnknownHostException, RefusedAddress {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = InetAddress.getAllByName(bare);
        for (InetAddress address : addresses) {
            if (!guard.permits(address)) {
                throw new RefusedAddress();
            }
        }
        return addresses[0];
    }

    /** A resolved address of the destination is one deliveries may not reach. */
    public static final class RefusedAddress extends Exception {
        RefusedAddress() {
            super("address not allowed", null, false, false);
        }
    }

    /**
     * Makes one attempt. The stage always completes normally; failures are outcomes. The answer
     * counts from its status line: the body is read and dropped afterwards, so that the
     * connection can be reused.
     */
    public CompletionStage<AttemptOutcome> send(WebhookRequest request, InetAddress address) {
        CompletableFuture<AttemptOutcome> outcome = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
        long timer = vertx.setTimer(timeoutMs, id -> {
            if (outcome.complete(AttemptOutcome.retry(null, "timeout after " + timeoutMs + " ms", null))) {
                HttpClientRequest started = inFlight.get();
                if (started != null) {
                    started.reset();
                }
            }
        });
        outcome.whenComplete((o, t) -> vertx.cancelTimer(timer));

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
        http.request(options).onComplete(opened -> {
            if (opened.failed()) {
                outcome.complete(ofFailure(opened.cause()));
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
                response.handler(chunk -> {
                });
                response.exceptionHandler(e -> {
                });
                outcome.complete(AttemptOutcome.ofStatus(response.statusCode(),
                        Backoff.parseRetryAfter(response.getHeader("Retry-After"), Instant.now())));
            });
        });
        return outcome;
    }

    /** Connection-level failures are all retried; the error names the kind, never the address. */
    static AttemptOutcome ofFailure(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof ConnectException || cause instanceof SSLException) {
                break;
            }
            cause = cause.getCause();
        }
        String error;
        if (failure instanceof TimeoutException || cause instanceof TimeoutException
                || cause instanceof ConnectTimeoutException || failure instanceof ConnectTimeoutException
                || String.valueOf(failure.getMessage()).contains("timeout")) {
            error = "timeout";
        } else if (cause instanceof ConnectException || failure instanceof ConnectException) {
            error = "connection refused";
        } else if (cause instanceof NoRouteToHostException) {
            error = "no route to host";
        } else if (cause instanceof SSLException || failure instanceof SSLException) {
            error = "TLS handshake failed";
        } else if (String.valueOf(failure.getMessage()).toLowerCase().contains("closed")) {
            error = "connection closed by the destination";
        } else {
            error = "connection error (" + failure.getClass().getSimpleName() + ")";
        }
        return AttemptOutcome.retry(null, error, null);
    }
}
