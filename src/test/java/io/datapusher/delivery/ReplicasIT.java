package io.datapusher.delivery;

import static io.datapusher.testing.PackagedReplicas.send;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.PackagedReplicas;
import io.datapusher.testing.PackagedReplicas.Account;
import io.datapusher.testing.PackagedReplicas.Replica;
import io.datapusher.testing.WebhookReceiver;
import io.datapusher.testing.WebhookReceiver.Reply;

/**
 * Replicas as separate processes of the packaged app (prod profile, configured like a
 * deployment), on one database and one queue: a replica killed with SIGKILL in the middle of a
 * delivery loses nothing, the rate limit is one budget for all replicas, and so are a destination's
 * outbound rate limit and its disabling; an ordered destination keeps its order through a replica
 * killed while sending its head.
 *
 * <p>
 * Run with {@code scripts/test-replicas.sh -Dit.test=ReplicasIT} (it packages
 * the jar first). It uses its own database and queue, named after DATAPUSHER_TEST_DB.
 */
@Tag("replicas")
class ReplicasIT {
    private static final PackagedReplicas replicas = new PackagedReplicas("replicas");
    private static final Pattern IN_FLIGHT = Pattern.compile("(?m)^datapusher_delivery_in_flight(?:\\{[^}]*})? (\\S+)$");

    @BeforeAll
    static void freshDatabaseAndKeys() throws Exception {
        replicas.freshDatabaseAndKeys();
    }

    @AfterEach
    void stopReplicas() {
        replicas.killAll();
    }

    @Test
    void aReplicaKilledMidDelivery_losesNoEvent_anotherOneDeliversIt() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()
                .answering(n -> n == 1 ? Reply.status(200).after(60_000) : Reply.status(200))) {
            Replica a = replicas.start("a-kill");
            Account account = replicas.account(a.port());
            UUID destinationId = replicas.destination(account, receiver.url("/held"));
            send(a.port(), account.token(), "evt-killed", "{\"k\":1}", 202);

            // replica a is in the middle of the attempt: the destination holds the request
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.count() == 1);
            a.process().destroyForcibly().waitFor();

            replicas.start("b-takeover");
            // b's due poller takes the log over once a's lease has run out
            await().atMost(Duration.ofSeconds(90)).until(() -> "success".equals(replicas.statusOf(destinationId)));
            assertEquals(2, receiver.count());
            assertEquals("evt-killed", receiver.received().get(1).header("webhook-id"));
            assertEquals("{\"k\":1}", new String(receiver.received().get(1).body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDestinationsSettings_holdForBothReplicas_oneOutboundBudget_andAGoneAnswerDisablesItForAll()
            throws Exception {
        try (WebhookReceiver limited = WebhookReceiver.start();
                WebhookReceiver gone = WebhookReceiver.start().answering(n -> Reply.status(410))) {
            List<Replica> pair = replicas.startPair("a-settings", "b-settings");
            int a = pair.get(0).port();
            int b = pair.get(1).port();
            Account account = replicas.account(a);
            UUID slow = replicas.destination(account, limited.url("/slow"));
            replicas.execute("UPDATE destinations SET max_per_second = 1 WHERE id = ?", slow);
            // the ingest burst (5), spread over both replicas, so both consume and poll
            for (int i = 0; i < 5; i++) {
                send(i % 2 == 0 ? a : b, account.token(), "limited-" + i, "{\"i\":" + i + "}", 202);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> limited.count() == 5);
            List<WebhookReceiver.Received> arrivals = limited.received();
            Duration spread = Duration.between(arrivals.get(0).at(), arrivals.get(4).at());
            // one budget of 1/s for both: the fifth no sooner than ~4 s after the first (2 s with one each)
            assertTrue(spread.compareTo(Duration.ofMillis(3500)) >= 0, "5 deliveries within " + spread);
            assertEquals(Map.of("success", 5), replicas.statusCounts(account.id()));

            Account other = replicas.account(b);
            UUID goneDestination = replicas.destination(other, gone.url("/gone"));
            send(a, other.token(), "gone-1", "{}", 202);
            await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(replicas.statusOf(goneDestination)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Boolean.FALSE.equals(replicas.query("SELECT enabled FROM destinations WHERE id = ?",
                            goneDestination)));
            send(b, other.token(), "gone-2", "{}", 202);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> replicas.statusCounts(other.id()).equals(Map.of("failed", 1, "skipped", 1)));
            assertEquals(1, gone.count(), "nothing is sent to a disabled destination, by either replica");
        }
    }

    @Test
    void anOrderedDestination_keepsItsOrder_throughAReplicaKilledMidHead_andTheHeadFailingAfterwards()
            throws Exception {
        // Request 1 (the head) hangs until its replica is killed; the takeover's first attempt
        // fails (500); then everything is answered 200.
        try (WebhookReceiver receiver = WebhookReceiver.start().answering(n -> switch (n) {
            case 1 -> Reply.status(200).after(60_000);
            case 2 -> Reply.status(500);
            default -> Reply.status(200);
        })) {
            List<Replica> pair = replicas.startPair("a-fifo", "b-fifo");
            Replica a = pair.get(0);
            Replica b = pair.get(1);
            Account account = replicas.account(a.port());
            UUID destinationId = replicas.destination(account, receiver.url("/in-order"));
            replicas.execute("UPDATE destinations SET ordering = 'fifo' WHERE id = ?", destinationId);
            List<String> accepted = List.of("fifo-1", "fifo-2", "fifo-3", "fifo-4");
            for (int i = 0; i < accepted.size(); i++) {
                send(i % 2 == 0 ? a.port() : b.port(), account.token(), accepted.get(i), "{\"i\":" + i + "}", 202);
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.count() == 1);
            // the replica holding the head is the one with a delivery in flight
            Replica holder = await().atMost(Duration.ofSeconds(10))
                    .until(() -> inFlight(a) == 1 ? a : inFlight(b) == 1 ? b : null, r -> r != null);
            holder.process().destroyForcibly().waitFor();
            assertEquals(Map.of("pending", 4), replicas.statusCounts(account.id()));
            assertEquals(1, receiver.count(), "nothing behind the held head was sent");

            // the survivor takes the head over once its lease has run out, retries it, then the rest
            await().atMost(Duration.ofSeconds(90)).until(() -> replicas.statusCounts(account.id())
                    .equals(Map.of("success", 4)));
            List<String> arrived = receiver.received().stream().map(r -> r.header("webhook-id")).toList();
            assertEquals(List.of("fifo-1", "fifo-1", "fifo-1", "fifo-2", "fifo-3", "fifo-4"), arrived);
        }
    }

    /** The replica's delivery slots held, from its metrics. */
    private static int inFlight(Replica replica) {
        String metrics = given().port(replica.port()).get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher held = IN_FLIGHT.matcher(metrics);
        return held.find() ? (int) Double.parseDouble(held.group(1)) : -1;
    }

    @Test
    void theRateLimit_isOneBudget_forRequestsSpreadOverTwoReplicas() throws Exception {
        // 0.01 per second: a bucket of one token, refilled after 100 s, far longer than the burst
        // can take on any machine. One budget lets 1 request through; a budget per replica, 2.
        List<Replica> pair = replicas.startPair("a-rate", "b-rate", "datapusher.ingest.rate-per-second=0.01");
        int a = pair.get(0).port();
        int b = pair.get(1).port();
        Account account = replicas.account(a);
        Account warmUp = replicas.account(b);
        send(a, warmUp.token(), "warm-a", "{}", 202);
        send(b, warmUp.token(), "warm-b", "{}", -1);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int port = i % 2 == 0 ? a : b;
            String eventId = "rate-" + i;
            calls.add(() -> send(port, account.token(), eventId, "{}", -1));
        }
        long started = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> status : pool.invokeAll(calls)) {
            statuses.add(status.get());
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();

        long accepted = statuses.stream().filter(s -> s == 202).count();
        long limited = statuses.stream().filter(s -> s == 429).count();
        System.out.printf("rate limit 0.01/s over two replicas: %d accepted, %d limited in %.3f s%n", accepted,
                limited, elapsed);
        assertTrue(elapsed < 100, "the burst outlasted one refill: " + elapsed + " s");
        assertEquals(24, accepted + limited, statuses.toString());
        assertEquals(1, accepted, statuses.toString());
    }
}
