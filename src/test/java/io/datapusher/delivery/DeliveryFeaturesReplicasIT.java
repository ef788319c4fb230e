package io.datapusher.delivery;

import static io.datapusher.testing.PackagedReplicas.send;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;

import io.datapusher.testing.Destinations;
import io.datapusher.testing.PackagedReplicas;
import io.datapusher.testing.PackagedReplicas.Account;
import io.datapusher.testing.PackagedReplicas.Replica;
import io.datapusher.testing.WebhookReceiver;
import io.datapusher.testing.WebhookReceiver.Received;
import io.datapusher.testing.WebhookReceiver.Reply;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Each delivery feature on two replicas of the packaged app, on one database and one queue: bulk
 * recovery, secret rotation, filters, retention, and auto-disable with its way back. Settings are changed
 * through one replica and events sent through the other, so nothing works only because a replica
 * remembers what it was told itself.
 *
 * <p>
 * The others share one pair of replicas (each test has its own account and destination); the
 * auto-disable test needs a short {@code disable-after}, which would disable the first test's
 * failing destination, so it runs its own pair on its own database and queue.
 *
 * <p>
 * Run with {@code scripts/test-replicas.sh -Dit.test=DeliveryFeaturesReplicasIT} (it packages
 * the jar first). Its databases and queues are named after DATAPUSHER_TEST_DB.
 */
@Tag("replicas")
class DeliveryFeaturesReplicasIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DESTINATIONS = "/accounts/{a}/destinations";
    private static final String DESTINATION = DESTINATIONS + "/{d}";
    /**
     * One attempt per delivery, so a failure is final at once; one delivery at a time per replica,
     * so two attempts under way together are one on each replica; attempts long enough to be held
     * by the receiver; a log nobody claimed through the queue is the poller's after 1 s; the retention
     * job looks every second (the default age of 30 days stays).
     */
    private static final String[] SHARED = { "datapusher.ingest.rate-per-second=1000",
            "datapusher.delivery.max-attempts=1", "datapusher.delivery.max-in-flight=1",
            "datapusher.delivery.timeout=30s", "datapusher.delivery.hand-off-grace=1s",
            "datapusher.retention.interval=1s" };
    /** Four events of 40 days ago with UUIDv7 ids of that time, as ingest makes them: three delivered, one pending. */
    private static final String OLD_EVENTS = """
            WITH e AS (
                INSERT INTO events (id, account_id, event_id, payload, received_at)
                SELECT encode(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send(t.ms) FROM 3)
                                      FROM 1 FOR 6), 'hex')::uuid,
                       ?::uuid, 'old-' || g, '{}'::bytea, to_timestamp(t.ms / 1000.0)
                FROM generate_series(1, 4) g,
                     LATERAL (SELECT (extract(epoch FROM now() - interval '40 days') * 1000)::bigint + g AS ms) t
                RETURNING id, account_id, event_id, received_at
            )
            INSERT INTO delivery_logs (id, event_ref, account_id, destination_id, event_id, status, attempts,
                                       attempt_limit, received_at, next_attempt_at, processed_at, created_at, updated_at)
            SELECT gen_random_uuid(), e.id, e.account_id, d.id, e.event_id,
                   CASE WHEN e.event_id = 'old-4' THEN 'pending' ELSE 'success' END, 1, 8, e.received_at,
                   CASE WHEN e.event_id = 'old-4' THEN now() + interval '1 day' END,
                   CASE WHEN e.event_id = 'old-4' THEN NULL ELSE e.received_at END, e.received_at, e.received_at
            FROM e JOIN destinations d ON d.account_id = e.account_id""";
    private static final Pattern FAILED_COUNTER = Pattern
            .compile("(?m)^datapusher_deliveries_total\\{[^}]*status=\"failed\"[^}]*} (\\S+)$");

    private static final PackagedReplicas replicas = new PackagedReplicas("features");
    private static final PackagedReplicas disabling = new PackagedReplicas("features-disable");
    private static Replica a;
    private static Replica b;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        replicas.freshDatabaseAndKeys();
        disabling.freshDatabaseAndKeys();
        List<Replica> pair = replicas.startPair("a", "b", SHARED);
        a = pair.get(0);
        b = pair.get(1);
    }

    @AfterAll
    static void stopReplicas() {
        replicas.killAll();
        disabling.killAll();
    }

    @Test
    void failedDeliveriesOfBothReplicas_areRecoveredByOneCallOnOne_andEachArrives() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean();
        AtomicInteger held = new AtomicInteger();
        CountDownLatch twoAtOnce = new CountDownLatch(1);
        // the first two attempts are held until both are under way: each replica holds one delivery
        // at most, so that proves both replicas attempted (and failed) deliveries
        try (WebhookReceiver receiver = WebhookReceiver.start().answering(n -> {
            if (healthy.get()) {
                return Reply.status(200);
            }
            if (n <= 2) {
                if (held.incrementAndGet() == 2) {
                    twoAtOnce.countDown();
                }
                awaitQuietly(twoAtOnce, Duration.ofSeconds(20));
                held.decrementAndGet();
            }
            return Reply.status(500);
        })) {
            Instant since = Instant.now().minusSeconds(60);
            Account account = replicas.account(a.port());
            UUID destination = createDestination(a, account, receiver.url("/recover"));
            Map<String, String> payloads = new TreeMap<>();
            for (int i = 0; i < 6; i++) {
                String eventId = "recover-" + i;
                payloads.put(eventId, "{\"i\":" + i + "}");
                send((i % 2 == 0 ? a : b).port(), account.token(), eventId, payloads.get(eventId), 202);
            }

            assertTrue(twoAtOnce.await(30, TimeUnit.SECONDS), "two attempts were never under way at once");
            await().atMost(WAIT).until(() -> replicas.statusCounts(account.id()).equals(Map.of("failed", 6)));
            assertEquals(6, receiver.count(), "one attempt each");
            assertTrue(failedCounted(a) >= 1 && failedCounted(b) >= 1,
                    "failed deliveries counted by a: " + failedCounted(a) + ", by b: " + failedCounted(b));

            healthy.set(true);
            api(b, account).body(Map.of("since", since.toString()))
                    .post(DESTINATION + "/recover", account.id(), destination).then().statusCode(202)
                    .body("recovered", equalTo(6));
            // both replicas' pollers take recovered logs; which one sends each is not fixed, so not asserted
            await().atMost(WAIT).until(() -> replicas.statusCounts(account.id()).equals(Map.of("success", 6)));

            List<Received> received = receiver.received();
            List<Received> redelivered = received.subList(6, received.size());
            Map<String, String> arrived = new TreeMap<>();
            for (Received request : redelivered) {
                arrived.put(request.header("webhook-id"), new String(request.body(), StandardCharsets.UTF_8));
            }
            assertEquals(6, redelivered.size(), "each once: " + arrived.keySet());
            assertEquals(payloads, arrived);
        }
    }

    @Test
    void aSecretRotatedOnOneReplica_signsWithBothSecrets_theDeliveriesOfEventsSentThroughTheOther()
            throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Account account = replicas.account(a.port());
            ExtractableResponse<Response> created = api(a, account).body(Destinations.body(receiver.url("/rotated")))
                    .post(DESTINATIONS, account.id()).then().statusCode(201).extract();
            UUID destination = UUID.fromString(created.path("id"));
            String old = created.path("signing_secret");
            String fresh = api(a, account).post(DESTINATION + "/secret", account.id(), destination).then()
                    .statusCode(200).extract().path("signing_secret");
            assertNotEquals(old, fresh);

            for (int i = 0; i < 3; i++) {
                send(b.port(), account.token(), "rotated-" + i, "{\"i\":" + i + "}", 202);
            }
            await().atMost(WAIT).until(() -> replicas.statusCounts(account.id()).equals(Map.of("success", 3)));

            List<Received> received = receiver.received();
            assertEquals(3, received.size());
            for (Received request : received) {
                String signatures = request.header("webhook-signature");
                assertEquals(2, signatures.split(" ").length, signatures);
                String body = new String(request.body(), StandardCharsets.UTF_8);
                new Webhook(fresh).verify(body, request.headers());
                new Webhook(old).verify(body, request.headers());
            }
        }
    }

    @Test
    void aFilterSetOnOneReplica_decidesForEventsSentThroughTheOther_nonMatchingOnesEndSkippedUnsent()
            throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Account account = replicas.account(a.port());
            Map<String, Object> body = Destinations.body(receiver.url("/orders"));
            UUID destination = createDestination(a, account, body);
            body.put("filter", List.of(Map.of("path", "type", "equals", "order.created")));
            api(a, account).body(body).put(DESTINATION, account.id(), destination).then().statusCode(200)
                    .body("filter[0].path", equalTo("type"));

            Map<String, String> events = new LinkedHashMap<>();
            events.put("match-1", "{\"type\":\"order.created\",\"n\":1}");
            events.put("other-1", "{\"type\":\"order.paid\",\"n\":2}");
            events.put("match-2", "{\"type\":\"order.created\",\"n\":3}");
            events.put("other-2", "{\"n\":4}");
            events.forEach((eventId, json) -> send(b.port(), account.token(), eventId, json, 202));
            await().atMost(WAIT)
                    .until(() -> replicas.statusCounts(account.id()).equals(Map.of("skipped", 2, "success", 2)));

            for (String eventId : List.of("other-1", "other-2")) {
                assertEquals("skipped", logColumn("status", eventId));
                assertEquals(0, logColumn("attempts", eventId));
                assertEquals("the destination's filter does not match the event", logColumn("error", eventId));
            }
            assertEquals("success", logColumn("status", "match-1"));
            assertEquals("success", logColumn("status", "match-2"));
            Set<String> sent = new TreeSet<>();
            receiver.received().forEach(request -> sent.add(request.header("webhook-id")));
            assertEquals(2, receiver.count());
            assertEquals(Set.of("match-1", "match-2"), sent);
        }
    }

    @Test
    void eventsPastTheRetentionAge_arePurgedOnce_byEitherReplica_butAPendingDeliveryAndItsEventStay()
            throws Exception {
        Account account = replicas.account(a.port());
        createDestination(a, account, Destinations.body("https://hooks.example.invalid/old"));
        replicas.execute(OLD_EVENTS, account.id());

        await().atMost(WAIT).until(() -> replicas.statusCounts(account.id()).equals(Map.of("pending", 1)));
        assertEquals(1L, replicas.query("SELECT count(*) FROM events WHERE account_id = ?", account.id()));
        assertEquals("old-4", replicas.query("SELECT event_id FROM events WHERE account_id = ?", account.id()));
        // both replicas run the job every second; the three events were purged once, by one of them
        String logs = a.logText() + b.logText();
        assertEquals(1, logs.split("Retention purge: 3 events and 3 delivery logs", -1).length - 1, "purge lines");
    }

    @Test
    void failingForTheWholeWindow_disablesForBothReplicas_untilEnabledOnOne_thenRecoveryDeliversWhatWasSkipped()
            throws Exception {
        AtomicBoolean healthy = new AtomicBoolean();
        try (WebhookReceiver receiver = WebhookReceiver.start()
                .answering(n -> Reply.status(healthy.get() ? 200 : 500))) {
            // one attempt per delivery: a log ends failed at once, so the window is spanned by two
            // events sent 2 s apart, not by retries that could themselves outlast it
            String[] settings = { "datapusher.destinations.disable-after=2s", "datapusher.delivery.max-attempts=1",
                    "datapusher.ingest.rate-per-second=1000" };
            List<Replica> pair = disabling.startPair("c", "d", settings);
            Replica c = pair.get(0);
            Replica d = pair.get(1);
            Instant since = Instant.now().minusSeconds(60);
            Account account = disabling.account(c.port());
            Map<String, Object> body = Destinations.body(receiver.url("/down"));
            UUID destination = createDestination(c, account, body);

            send(c.port(), account.token(), "down-1", "{\"n\":1}", 202);
            await().atMost(WAIT).until(() -> "failed".equals(disabling.statusOf(destination)));
            await().atMost(WAIT).until(() -> Boolean.TRUE.equals(disabling.query(
                    "SELECT failing_since <= now() - interval '2 seconds' FROM destinations WHERE id = ?", destination)));
            send(d.port(), account.token(), "down-2", "{\"n\":2}", 202);
            await().atMost(WAIT).until(() -> disabling.statusCounts(account.id()).equals(Map.of("failed", 2)));
            for (Replica replica : List.of(c, d)) {
                await().atMost(WAIT).untilAsserted(() -> api(replica, account)
                        .get(DESTINATION, account.id(), destination).then().statusCode(200)
                        .body("enabled", equalTo(false))
                        .body("disabled_reason", equalTo("every attempt failed for 2s")));
            }

            send(c.port(), account.token(), "down-3", "{\"n\":3}", 202);
            await().atMost(WAIT).until(() -> "skipped".equals(disabling.query(
                    "SELECT status FROM delivery_logs WHERE event_id = ?", "down-3")));
            assertEquals("destination disabled: every attempt failed for 2s",
                    disabling.query("SELECT error FROM delivery_logs WHERE event_id = ?", "down-3"));
            assertEquals(2, receiver.count(), "nothing is sent to a disabled destination");

            healthy.set(true);
            body.put("enabled", true);
            api(d, account).body(body).put(DESTINATION, account.id(), destination).then().statusCode(200)
                    .body("enabled", equalTo(true)).body("disabled_reason", nullValue());
            api(d, account).body(Map.of("since", since.toString(), "status", "skipped"))
                    .post(DESTINATION + "/recover", account.id(), destination).then().statusCode(202)
                    .body("recovered", equalTo(1));
            await().atMost(WAIT).until(() -> "success".equals(disabling.query(
                    "SELECT status FROM delivery_logs WHERE event_id = ?", "down-3")));
            assertEquals(3, receiver.count());
            Received delivered = receiver.received().get(2);
            assertEquals("down-3", delivered.header("webhook-id"));
            assertEquals("{\"n\":3}", new String(delivered.body(), StandardCharsets.UTF_8));
            assertEquals(Map.of("failed", 2, "success", 1), disabling.statusCounts(account.id()));
        } finally {
            disabling.killAll();
        }
    }

    private static RequestSpecification api(Replica replica, Account account) {
        return given().port(replica.port()).auth().oauth2(account.bearer()).contentType(ContentType.JSON);
    }

    private static UUID createDestination(Replica replica, Account account, String url) {
        return createDestination(replica, account, Destinations.body(url));
    }

    private static UUID createDestination(Replica replica, Account account, Map<String, Object> body) {
        return UUID.fromString(api(replica, account).body(body).post(DESTINATIONS, account.id()).then()
                .statusCode(201).extract().path("id"));
    }

    /** A column of the one log of an event (event ids are unique in this class). */
    private static Object logColumn(String column, String eventId) throws Exception {
        return replicas.query("SELECT " + column + " FROM delivery_logs WHERE event_id = ?", eventId);
    }

    /** Final failures this replica has written, from its own Prometheus counter. */
    private static double failedCounted(Replica replica) {
        String metrics = given().port(replica.port()).get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher counter = FAILED_COUNTER.matcher(metrics);
        return counter.find() ? Double.parseDouble(counter.group(1)) : 0;
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
