package io.datapusher.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 that plays a destination: it records every request (raw URI,
 * headers with lower-cased names, exact body bytes) and answers as the test tells it, per request
 * number (1 for the first).
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Received(String method, String rawUri, Map<String, List<String>> headers, byte[] body, Instant at) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String rawPath() {
            int q = rawUri.indexOf('?');
            return q < 0 ? rawUri : rawUri.substring(0, q);
        }

        public String rawQuery() {
            int q = rawUri.indexOf('?');
            return q < 0 ? null : rawUri.substring(q + 1);
        }
    }

    /** How to answer: a status, headers, how long to wait first, and a body (none if null). */
    public record Reply(int status, Map<String, String> headers, long delayMillis, byte[] body) {
        public static Reply status(int status) {
            return new Reply(status, Map.of(), 0, null);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> all = new TreeMap<>(headers);
            all.put(name, value);
            return new Reply(status, all, delayMillis, body);
        }

        public Reply after(long millis) {
            return new Reply(status, headers, millis, body);
        }

        public Reply withBody(byte[] bytes) {
            return new Reply(status, headers, delayMillis, bytes);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile IntFunction<Reply> replies = n -> Reply.status(200);

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers request number n (from 1) with {@code replies.apply(n)}. */
    public WebhookReceiver answering(IntFunction<Reply> replies) {
        this.replies = replies;
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port() + pathAndQuery;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public int count() {
        return received.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body,
                Instant.now()));
        Reply reply = replies.apply(received.size());
        try {
            if (reply.delayMillis() > 0) {
                Thread.sleep(reply.delayMillis());
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            if (reply.body() == null) {
                exchange.sendResponseHeaders(reply.status(), -1);
            } else {
                exchange.sendResponseHeaders(reply.status(), reply.body().length);
                exchange.getResponseBody().write(reply.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (a timeout test)
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
