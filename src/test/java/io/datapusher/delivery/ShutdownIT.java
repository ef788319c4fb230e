package io.datapusher.delivery;

import static io.datapusher.testing.PackagedReplicas.send;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.PackagedReplicas;
import io.datapusher.testing.PackagedReplicas.Account;
import io.datapusher.testing.PackagedReplicas.Replica;
import io.datapusher.testing.WebhookReceiver;
import io.datapusher.testing.WebhookReceiver.Reply;
import io.restassured.response.Response;

/**
 * A replica of the packaged app sent SIGTERM in the middle of deliveries: it refuses new requests
 * at once, waits for the attempts under way, records them, and exits well within the grace
 * period, while another replica goes on serving and delivering. Every event reaches each
 * destination exactly once.
 *
 * <p>
 * Run with {@code scripts/test-replicas.sh -Dit.test=ShutdownIT} (it packages
 * the jar first). Its own database and queue are named after DATAPUSHER_TEST_DB.
 */
@Tag("replicas")
class ShutdownIT {
    private static final PackagedReplicas replicas = new PackagedReplicas("shutdown");
    /** Events whose attempts are under way on replica a when it gets SIGTERM. */
    private static final int EVENTS_IN_FLIGHT = 6;
    private static final int DESTINATIONS = 2;
    /** How long the destination goes on holding a's requests after SIGTERM. */
    private static final Duration HELD_AFTER_SIGTERM = Duration.ofMillis(2500);
    /** Kubernetes' grace period is 45 s of which 10 s preStop; the app must be gone well before. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final String NO_RATE_LIMIT = "datapusher.ingest.rate-per-second=1000";
    private static final int CONNECTION_REFUSED = -1;
    private static final int NO_ANSWER = -2;

    @BeforeAll
    static void freshDatabaseAndKeys() throws Exception {
        replicas.freshDatabaseAndKeys();
    }

    @AfterEach
    void stopReplicas() {
        replicas.killAll();
    }

    @Test
    void sigtermMidDelivery_finishesTheAttemptsInFlight_refusesNewRequests_andEachEventArrivesExactlyOnce()
            throws Exception {
        int held = EVENTS_IN_FLIGHT * DESTINATIONS;
        CountDownLatch answer = new CountDownLatch(1);
        try (WebhookReceiver receiver = WebhookReceiver.start().answering(n -> {
            // The first requests (all a's) are held until the test lets them go; later ones are answered at once.
            if (n <= held) {
                try {
                    answer.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Reply.status(200);
        })) {
            // a's attempts must outlive the hold (b's start-up included), or they would time out and be retried
            Replica a = replicas.start("a-sigterm", "datapusher.delivery.timeout=30s", NO_RATE_LIMIT);
            Account account = replicas.account(a.port());
            replicas.destination(account, receiver.url("/first"));
            replicas.destination(account, receiver.url("/second"));
            List<String> accepted = new ArrayList<>();
            for (int i = 1; i <= EVENTS_IN_FLIGHT; i++) {
                send(a.port(), account.token(), "in-flight-" + i, "{\"i\":" + i + "}", 202);
                accepted.add("in-flight-" + i);
            }
            // a alone consumed them: every one of its attempts is now held by the destination
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.count() == held);
            Replica b = replicas.start("b-stays", NO_RATE_LIMIT);
            long sigtermAt;
            long refusedAfterMs;
            int readyWhileDraining;
            String slowAnswer;

            // an ingest request under way when SIGTERM comes: its body is still on its way
            try (Socket slow = new Socket("127.0.0.1", a.port())) {
                byte[] body = "{\"slow\":true}".getBytes(StandardCharsets.UTF_8);
                OutputStream out = slow.getOutputStream();
                out.write(("POST /server/incoming_data HTTP/1.1\r\nHost: 127.0.0.1\r\nCL-X-TOKEN: " + account.token()
                        + "\r\nCL-X-EVENT-ID: slow-body\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, 4);
                out.flush();
                // a has read its headers: the request is under way (the scrape that reads this is the other one)
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> activeRequests(a) >= 2);

                long sigterm = System.nanoTime();
                a.process().destroy(); // SIGTERM on Linux

                // while a waits for that request, new ones are refused (one sent before its drain began is accepted)
                int tries = 0;
                int refusal;
                do {
                    String eventId = "to-a-" + ++tries;
                    refusal = answerTo(a, account.token(), eventId);
                    if (refusal == 202) {
                        accepted.add(eventId);
                    }
                } while (refusal == 202 && tries < 50);
                refusedAfterMs = millisSince(sigterm);
                assertEquals(503, refusal, "a's answer after SIGTERM");
                Response refused = postEvent(a.port(), account.token(), "to-a-refused");
                assertEquals(503, refused.statusCode());
                assertEquals("5", refused.header("Retry-After"));
                assertEquals("{\"success\":false,\"message\":\"Service Unavailable\"}", refused.asString());
                readyWhileDraining = given().port(a.port()).get("/q/health/ready").statusCode();

                // the request under way is answered, and then a stops listening
                out.write(body, 4, body.length - 4);
                out.flush();
                String statusLine = new BufferedReader(new InputStreamReader(slow.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                slowAnswer = statusLine;
                assertTrue(statusLine.startsWith("HTTP/1.1 202 ") || statusLine.startsWith("HTTP/1.1 503 "), statusLine);
                if (statusLine.startsWith("HTTP/1.1 202 ")) {
                    accepted.add("slow-body");
                }
                sigtermAt = sigterm;
            }
            long sigterm = sigtermAt;
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> answerTo(a, account.token(), "to-a-closed") == CONNECTION_REFUSED);
            long closedAfterMs = millisSince(sigterm);

            // b goes on serving meanwhile; these events are fanned out by whichever replica the broker
            // hands them to, and attempted by b
            for (int i = 1; i <= 4; i++) {
                send(b.port(), account.token(), "during-drain-" + i, "{\"d\":" + i + "}", 202);
                accepted.add("during-drain-" + i);
            }
            assertTrue(a.process().isAlive(), "a waits for its attempts in flight");
            assertEquals(held, countOf(receiver, "in-flight-"), "nothing of a's was sent again while it drained");

            // the destination answers HELD_AFTER_SIGTERM after SIGTERM: a must wait for it, not cut it off
            long holdLeft = Math.max(0, HELD_AFTER_SIGTERM.toMillis() - millisSince(sigterm));
            CompletableFuture<Long> answered = CompletableFuture.supplyAsync(() -> {
                answer.countDown();
                return millisSince(sigterm);
            }, CompletableFuture.delayedExecutor(holdLeft, TimeUnit.MILLISECONDS));

            assertTrue(a.process().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS), "a did not exit within " + GRACE);
            long exitedAfterMs = millisSince(sigterm);
            long answeredAfterMs = answered.join();
            String log = a.logText();
            System.out.printf("SIGTERM to a: 503 after %d ms (readiness %d, the request under way answered %s), "
                    + "port closed after %d ms, held answers let go after %d ms, exit after %d ms, exit code %d%n",
                    refusedAfterMs, readyWhileDraining, slowAnswer, closedAfterMs, answeredAfterMs, exitedAfterMs,
                    a.process().exitValue());

            // a exited after it had its held attempts answered and recorded, cleanly (143: the JVM's code for SIGTERM)
            assertTrue(exitedAfterMs > answeredAfterMs, "a exited before its attempts in flight were answered");
            assertEquals(143, a.process().exitValue());
            assertTrue(log.contains("Shutdown: waiting for " + held + " delivery attempts in flight"), log);
            assertTrue(log.contains("Shutdown: all " + held + " delivery attempts in flight ended and were recorded"), log);
            assertTrue(log.contains("data-pusher stopped in"), log);
            assertFalse(log.contains("Timed out waiting for graceful shutdown"), log);
            assertFalse(log.contains("did not terminate"), log);
            assertThrows(ConnectException.class, () -> connect(a.port()), "a still listens after its exit");

            // every log ends success, and every event arrives exactly once at each destination
            int expected = accepted.size() * DESTINATIONS;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                Map<String, Integer> statuses = replicas.statusCounts(account.id());
                return statuses.keySet().equals(Set.of("success")) && statuses.get("success") >= expected;
            });
            Map<String, Long> perDestinationAndEvent = receiver.received().stream()
                    .collect(Collectors.groupingBy(r -> r.rawPath() + " " + r.header("webhook-id"), TreeMap::new,
                            Collectors.counting()));
            Map<String, Long> once = new TreeMap<>();
            for (String eventId : accepted) {
                once.put("/first " + eventId, 1L);
                once.put("/second " + eventId, 1L);
            }
            assertEquals(once, perDestinationAndEvent);
            System.out.printf("delivered: %d requests for %d accepted events x %d destinations, each (destination, "
                    + "webhook-id) once; %s%n", receiver.count(), accepted.size(), DESTINATIONS,
                    replicas.statusCounts(account.id()));

            // b still serves after a has gone
            send(b.port(), account.token(), "after-exit", "{}", 202);
        }
    }

    /** The status of an event posted to the replica, or {@link #CONNECTION_REFUSED} or {@link #NO_ANSWER}. */
    private static final Pattern ACTIVE_REQUESTS = Pattern.compile("(?m)^http_server_active_requests\\{[^}]*} (\\S+)$");

    /** The replica's HTTP requests under way, the scrape included. */
    private static double activeRequests(Replica replica) {
        Matcher m = ACTIVE_REQUESTS.matcher(given().port(replica.port()).get("/q/metrics").asString());
        assertTrue(m.find(), "http_server_active_requests is exported");
        return Double.parseDouble(m.group(1));
    }

    private static int answerTo(Replica replica, String token, String eventId) {
        try {
            return postEvent(replica.port(), token, eventId).statusCode();
        } catch (Exception e) { // REST Assured throws the client's IOExceptions undeclared
            if (hasCause(e, ConnectException.class)) {
                return CONNECTION_REFUSED;
            }
            if (hasCause(e, IOException.class)) {
                // the server closed the connection (it was closing its socket), or reset it
                return NO_ANSWER;
            }
            throw e;
        }
    }

    private static Response postEvent(int port, String token, String eventId) {
        return given().port(port).header("CL-X-TOKEN", token).header("CL-X-EVENT-ID", eventId)
                .contentType("application/json").body("{}").post("/server/incoming_data");
    }

    private static long countOf(WebhookReceiver receiver, String eventIdPrefix) {
        return receiver.received().stream().map(r -> r.header("webhook-id"))
                .filter(id -> id != null && id.startsWith(eventIdPrefix)).count();
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
