package io.datapusher.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.destination.Destination;
import io.datapusher.ingest.Event;
import io.datapusher.ingest.EventPublisher;
import io.datapusher.testing.Api;
import io.datapusher.testing.BackgroundJobs;
import io.datapusher.testing.QueryStrings;
import io.datapusher.testing.Tenant;
import io.datapusher.testing.WebhookReceiver;
import io.datapusher.testing.WebhookReceiver.Received;
import io.datapusher.testing.WebhookReceiver.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Delivering, end to end: POST /server/incoming_data, the real broker, the consumer, the retry
 * poller, and JDK HTTP servers on 127.0.0.1 as destinations (allowed in tests by
 * {@code datapusher.destinations.allowed-cidrs=127.0.0.0/8}; max-attempts is 4 in tests).
 */
@QuarkusTest
@BackgroundJobs.Run
class DeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MAX_ATTEMPTS = 4;

    @Inject
    EventPublisher publisher;

    @Inject
    MeterRegistry registry;

    @Inject
    DestinationBreakers breakers;

    @Test
    void post_sendsTheExactBytes_withDestinationHeaders_andAVerifiableSignature() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/hook?source=dp"), DeliveryMethod.POST,
                    Map.of("X-Api-Key", "key-123", "X-Team", "payments"));
            String body = "{ \"amount\" : 12.50,\n  \"note\": \"\u00fcber \u20ac \ud83d\udc22\", \"tags\":[ ] }";
            long before = Instant.now().getEpochSecond();
            tenant.send("evt-post-1", body).then().statusCode(202);

            Received request = awaitRequests(receiver, 1).get(0);
            assertEquals("POST", request.method());
            assertEquals("/hook?source=dp", request.rawUri());
            assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), request.body());
            assertEquals("application/json", request.header("Content-Type"));
            assertEquals("key-123", request.header("X-Api-Key"));
            assertEquals("payments", request.header("X-Team"));
            assertEquals("evt-post-1", request.header("webhook-id"));
            long timestamp = Long.parseLong(request.header("webhook-timestamp"));
            assertTrue(timestamp >= before - 1 && timestamp <= Instant.now().getEpochSecond() + 1);
            new Webhook(destination.signingSecret).verify(body, request.headers());

            DeliveryLog log = awaitLog(destination, l -> l.status == DeliveryStatus.SUCCESS);
            assertEquals(1, log.attempts);
            assertEquals(200, log.responseStatus);
            assertNull(log.error);
            assertNotNull(log.processedAt);
            assertEquals("evt-post-1", log.eventId);
        }
    }

    @Test
    void afterASecretRotation_bothSecretsSign_untilTheOverlapEnds() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/rotated"), DeliveryMethod.POST, Map.of());
            String old = destination.signingSecret;
            String fresh = Api.as(tenant.bearer())
                    .post("/accounts/{a}/destinations/{d}/secret", tenant.accountId(), destination.id).then()
                    .statusCode(200).extract().path("signing_secret");

            tenant.send("evt-overlap", "{\"n\":1}").then().statusCode(202);
            Received during = awaitRequests(receiver, 1).get(0);
            assertEquals(2, during.header("webhook-signature").split(" ").length, during.header("webhook-signature"));
            new Webhook(fresh).verify("{\"n\":1}", during.headers());
            new Webhook(old).verify("{\"n\":1}", during.headers());

            // the overlap is over: only the new secret signs
            QuarkusTransaction.requiringNew().run(() -> Destination.update(
                    "previousSecretExpiresAt = ?1 where id = ?2", Instant.now().minusSeconds(1), destination.id));
            tenant.send("evt-after", "{\"n\":2}").then().statusCode(202);
            Received after = awaitRequests(receiver, 2).get(1);
            assertEquals(1, after.header("webhook-signature").split(" ").length, after.header("webhook-signature"));
            new Webhook(fresh).verify("{\"n\":2}", after.headers());
            assertThrows(WebhookVerificationException.class, () -> new Webhook(old).verify("{\"n\":2}", after.headers()));
        }
    }

    @Test
    void put_sendsTheExactBytes_signed() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/put"), DeliveryMethod.PUT, Map.of());
            String body = "{\"id\":7,\"nested\":{\"k\":[1,2,3]}}";
            tenant.send("evt-put-1", body).then().statusCode(202);

            Received request = awaitRequests(receiver, 1).get(0);
            assertEquals("PUT", request.method());
            assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), request.body());
            assertEquals("application/json", request.header("Content-Type"));
            new Webhook(destination.signingSecret).verify(body, request.headers());
        }
    }

    @Test
    void get_putsTheTopLevelFieldsInTheQuery_afterTheUrlsOwn_withoutBody_signedOverEmptyBody() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/get?static=1&x=a%20b"), DeliveryMethod.GET,
                    Map.of("X-Api-Key", "k"));
            String body = "{\"s\":\"a b&c=d/\u00e9\",\"n\":-12.50,\"i\":7,\"t\":true,\"f\":false,\"z\":null,"
                    + "\"o\":{\"k\":[1,2.0,\"x y\"]},\"a\":[1,\"two\",null],\"u\":\"\u017c\u00f3\u0142w \ud83d\udc22\"}";
            tenant.send("evt-get-1", body).then().statusCode(202);

            Received request = awaitRequests(receiver, 1).get(0);
            assertEquals("GET", request.method());
            assertEquals("/get", request.rawPath());
            assertEquals(0, request.body().length);
            assertEquals("k", request.header("X-Api-Key"));

            Map<String, String> query = QueryStrings.decode(request.rawQuery());
            assertEquals(List.of("static", "x", "s", "n", "i", "t", "f", "z", "o", "a", "u"), List.copyOf(query.keySet()));
            assertEquals("1", query.get("static"));
            assertEquals("a b", query.get("x"));
            assertEquals("a b&c=d/\u00e9", query.get("s"));
            assertEquals("-12.50", query.get("n"));
            assertEquals("7", query.get("i"));
            assertEquals("true", query.get("t"));
            assertEquals("false", query.get("f"));
            assertEquals("", query.get("z"));
            assertEquals("{\"k\":[1,2.0,\"x y\"]}", query.get("o"));
            assertEquals("[1,\"two\",null]", query.get("a"));
            assertEquals("\u017c\u00f3\u0142w \ud83d\udc22", query.get("u"));
            new Webhook(destination.signingSecret).verify("", request.headers());
        }
    }

    @Test
    void everyDestination_getsTheEvent_concurrently_aSlowOneDelaysNoOther() {
        try (WebhookReceiver slow = WebhookReceiver.start().answering(n -> Reply.status(200).after(1500));
                WebhookReceiver fast = WebhookReceiver.start();
                WebhookReceiver other = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination s = tenant.destination(slow.url("/slow"), DeliveryMethod.POST, Map.of());
            Destination f = tenant.destination(fast.url("/fast"), DeliveryMethod.GET, Map.of());
            Destination o = tenant.destination(other.url("/other"), DeliveryMethod.PUT, Map.of());
            tenant.send("fan-1", "{\"a\":1}").then().statusCode(202);

            Instant slowStarted = awaitRequests(slow, 1).get(0).at();
            Instant fastAt = awaitRequests(fast, 1).get(0).at();
            Instant otherAt = awaitRequests(other, 1).get(0).at();
            // the slow destination answers after 1.5 s; the others were not waiting for it
            assertTrue(fastAt.isBefore(slowStarted.plusMillis(1000)), fastAt + " vs " + slowStarted);
            assertTrue(otherAt.isBefore(slowStarted.plusMillis(1000)), otherAt + " vs " + slowStarted);
            for (Destination destination : List.of(s, f, o)) {
                awaitLog(destination, l -> l.status == DeliveryStatus.SUCCESS);
            }
        }
    }

    @Test
    void serverErrors_areRetried_thenTheLogFails_withAttemptsAtTheMaximum() {
        try (WebhookReceiver receiver = WebhookReceiver.start().answering(n -> Reply.status(503))) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/down"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-503", "{}").then().statusCode(202);

            DeliveryLog log = awaitLog(destination, l -> l.status == DeliveryStatus.FAILED);
            assertEquals(MAX_ATTEMPTS, log.attempts);
            assertEquals(503, log.responseStatus);
            assertEquals("HTTP 503", log.error);
            assertNotNull(log.processedAt);
            assertEquals(MAX_ATTEMPTS, receiver.count());
            assertTrue(receiver.received().stream().allMatch(r -> "evt-503".equals(r.header("webhook-id"))));
        }
    }

    @Test
    void aDelivery_succeeds_afterTwoFailures() {
        try (WebhookReceiver receiver = WebhookReceiver.start()
                .answering(n -> n == 1 ? Reply.status(500) : n == 2 ? Reply.status(502) : Reply.status(204))) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/flaky"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-flaky", "{\"k\":1}").then().statusCode(202);

            DeliveryLog log = awaitLog(destination, l -> l.status == DeliveryStatus.SUCCESS);
            assertEquals(3, log.attempts);
            assertEquals(204, log.responseStatus);
            assertNull(log.error);
            assertEquals(3, receiver.count());
            List<Received> requests = receiver.received();
            // a new timestamp and signature each time, the same webhook-id
            assertEquals(requests.get(0).header("webhook-id"), requests.get(2).header("webhook-id"));
        }
    }

    @Test
    void aTimeout_isRetried() {
        CountDownLatch firstOutcomeSeen = new CountDownLatch(1);
        try (WebhookReceiver receiver = WebhookReceiver.start().answering(n -> {
            if (n == 1) {
                return Reply.status(200).after(4000);
            }
            // the retry is held until the test has read the first attempt's outcome
            awaitQuietly(firstOutcomeSeen);
            return Reply.status(200);
        })) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/slow"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-timeout", "{}").then().statusCode(202);

            DeliveryLog first = awaitLog(destination, l -> l.error != null);
            firstOutcomeSeen.countDown();
            assertEquals(DeliveryStatus.PENDING, first.status);
            assertTrue(first.error.startsWith("timeout"), first.error);
            assertNull(first.responseStatus);
            assertNull(first.processedAt);
            DeliveryLog log = awaitLog(destination, l -> l.status == DeliveryStatus.SUCCESS);
            assertEquals(2, log.attempts);
            assertEquals(2, receiver.count());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRedirect_isNotFollowed_andFailsTheDelivery() {
        try (WebhookReceiver receiver = WebhookReceiver.start()
                .answering(n -> Reply.status(302).withHeader("Location", "/elsewhere"))) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/moved"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-302", "{}").then().statusCode(202);

            DeliveryLog log = awaitLog(destination, l -> l.status == DeliveryStatus.FAILED);
            assertEquals(1, log.attempts);
            assertEquals(302, log.responseStatus);
            assertTrue(log.error.contains("redirect"), log.error);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> receiver.count() == 1);
            assertEquals("/moved", receiver.received().get(0).rawPath());
        }
    }

    @Test
    void aClientError_isNotRetried() {
        try (WebhookReceiver receiver = WebhookReceiver.start().answering(n -> Reply.status(404))) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/gone"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-404", "{}").then().statusCode(202);

            DeliveryLog log = awaitLog(destination, l -> l.status == DeliveryStatus.FAILED);
            assertEquals(1, log.attempts);
            assertEquals(404, log.responseStatus);
            assertEquals("HTTP 404", log.error);
        }
    }

    @Test
    void theLogKeepsTheStartOfTheAnswersBody_andTheAttemptsDuration() {
        byte[] json = "{\"error\":\"unknown order\"}".getBytes(StandardCharsets.UTF_8);
        byte[] long1 = ("x".repeat(5000) + "\u0000").getBytes(StandardCharsets.UTF_8);
        try (WebhookReceiver receiver = WebhookReceiver.start()
                .answering(n -> n == 1 ? Reply.status(422).withBody(json) : Reply.status(200).withBody(long1))) {
            Tenant tenant = Tenant.create();
            Destination refused = tenant.destination(receiver.url("/refuses"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-body", "{}").then().statusCode(202);
            DeliveryLog log = awaitLog(refused, l -> l.status == DeliveryStatus.FAILED);
            assertEquals("{\"error\":\"unknown order\"}", log.responseBody);
            assertNotNull(log.durationMs);
            assertTrue(log.durationMs >= 0 && log.durationMs < 10_000, "took " + log.durationMs + " ms");

            Destination chatty = tenant.destination(receiver.url("/chatty"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-long-body", "{}").then().statusCode(202);
            DeliveryLog ok = awaitLog(chatty, l -> l.status == DeliveryStatus.SUCCESS);
            assertEquals("x".repeat(AttemptOutcome.BODY_CHARS), ok.responseBody, "cut to what the log keeps");
        }
    }

    @Test
    void tooManyRequests_isRetried_afterTheRetryAfter() {
        try (WebhookReceiver receiver = WebhookReceiver.start()
                .answering(n -> n == 1 ? Reply.status(429).withHeader("Retry-After", "3") : Reply.status(200))) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/busy"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-429", "{}").then().statusCode(202);

            DeliveryLog log = awaitLog(destination, l -> l.status == DeliveryStatus.SUCCESS);
            assertEquals(2, log.attempts);
            List<Received> requests = receiver.received();
            Duration gap = Duration.between(requests.get(0).at(), requests.get(1).at());
            // the backoff alone would be 0.2 s (+ up to 1 s of polling)
            assertTrue(gap.toMillis() >= 2900, "retried after " + gap);
        }
    }

    @Test
    void aConnectionError_isRetried() {
        WebhookReceiver closed = WebhookReceiver.start();
        String url = closed.url("/nobody");
        closed.close();
        Tenant tenant = Tenant.create();
        Destination destination = tenant.destination(url, DeliveryMethod.POST, Map.of());
        tenant.send("evt-refused", "{}").then().statusCode(202);

        DeliveryLog log = awaitLog(destination, l -> l.status == DeliveryStatus.FAILED);
        assertEquals(MAX_ATTEMPTS, log.attempts);
        assertNull(log.responseStatus);
        assertEquals("connection refused", log.error);
    }

    @Test
    void aSecondCopyOfTheMessage_neverResendsASuccessfulDelivery() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/once"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-once", "{}").then().statusCode(202);
            DeliveryLog delivered = awaitLog(destination, l -> l.status == DeliveryStatus.SUCCESS);
            UUID eventRef = eventRefOf(tenant, "evt-once");

            // two more copies of its message, as a broker may redeliver one
            publisher.publish(List.of(eventRef));
            publisher.publish(List.of(eventRef));

            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> receiver.count() == 1);
            DeliveryLog after = logOf(destination);
            assertEquals(delivered.id, after.id);
            assertEquals(1, after.attempts);
            assertEquals(DeliveryStatus.SUCCESS, after.status);
        }
    }

    @Test
    void aMessageForAnUnknownEvent_isAcknowledgedAndDropped_andTheConsumerGoesOn() {
        double dropped = registry.counter("datapusher.delivery.messages.dropped").count();
        publisher.publish(List.of(UUID.randomUUID(), UUID.randomUUID()));
        await().atMost(WAIT).until(() -> registry.counter("datapusher.delivery.messages.dropped").count() == dropped + 1);
        // not given back to the queue: it does not come again
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> registry.counter("datapusher.delivery.messages.dropped").count() == dropped + 1);

        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            tenant.destination(receiver.url("/after"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-after-unknown", "{}").then().statusCode(202);
            awaitRequests(receiver, 1);
        }
    }

    @Test
    void anEventWhoseMessageWasNeverSent_isDeliveredByTheDuePoller_afterTheHandOffGrace() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/unsent"), DeliveryMethod.POST, Map.of());
            // committed with its log, then the replica died before publishing (grace is 1 s in tests)
            LogFixtures.pendingEvent(tenant.accountId(), "evt-unsent", "{\"unsent\":true}",
                    Instant.now().plusSeconds(1));

            Received request = awaitRequests(receiver, 1).get(0);
            assertEquals("{\"unsent\":true}", new String(request.body(), StandardCharsets.UTF_8));
            DeliveryLog log = awaitLog(destination, l -> l.status == DeliveryStatus.SUCCESS);
            assertEquals(1, log.attempts);
        }
    }

    @Test
    void aRedelivery_setBackToPending_isAttemptedAgainByThePoller_withAttemptsCountedOn() {
        try (WebhookReceiver receiver = WebhookReceiver.start()
                .answering(n -> n <= MAX_ATTEMPTS ? Reply.status(500) : Reply.status(200))) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/again"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-again", "{}").then().statusCode(202);
            DeliveryLog failed = awaitLog(destination, l -> l.status == DeliveryStatus.FAILED);
            assertEquals(MAX_ATTEMPTS, failed.attempts);

            // what POST .../logs/{id}/redeliver does
            QuarkusTransaction.requiringNew().run(() -> DeliveryLog.update(
                    "status = ?1, nextAttemptAt = ?2, attemptLimit = attempts + ?3, leaseUntil = null, claimToken = null, processedAt = null "
                            + "where id = ?4",
                    DeliveryStatus.PENDING, Instant.now(), MAX_ATTEMPTS, failed.id));

            DeliveryLog log = awaitLog(destination, l -> l.status == DeliveryStatus.SUCCESS);
            assertEquals(MAX_ATTEMPTS + 1, log.attempts);
            assertEquals(200, log.responseStatus);
        }
    }

    @Test
    void deletingTheAccount_deletesItsEventsAndLogs() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/bye"), DeliveryMethod.POST, Map.of());
            tenant.send("evt-bye", "{}").then().statusCode(202);
            awaitLog(destination, l -> l.status == DeliveryStatus.SUCCESS);

            Api.as(tenant.bearer()).delete("/accounts/{id}", tenant.accountId()).then().statusCode(204);

            assertEquals(0L, (long) QuarkusTransaction.requiringNew()
                    .call(() -> DeliveryLog.count("accountId", tenant.accountId())));
            assertEquals(0L, (long) QuarkusTransaction.requiringNew()
                    .call(() -> Event.count("accountId", tenant.accountId())));
        }
    }

    @Test
    void aFailingDestination_opensItsCircuit_andFurtherAttemptsAreNotMade() throws Exception {
        UUID destinationId = UUID.randomUUID();
        int[] made = { 0 };
        // the default window is 20 attempts, half of them failed
        for (int i = 0; i < 20; i++) {
            breakers.call(destinationId, () -> {
                made[0]++;
                return java.util.concurrent.CompletableFuture.completedFuture(AttemptOutcome.retry(503, "HTTP 503", null));
            }).toCompletableFuture().get();
        }
        AttemptOutcome blocked = breakers.call(destinationId, () -> {
            made[0]++;
            return java.util.concurrent.CompletableFuture.completedFuture(AttemptOutcome.success(200));
        }).toCompletableFuture().get();
        assertEquals(20, made[0]);
        assertEquals(AttemptOutcome.Kind.NOT_ATTEMPTED, blocked.kind());
        assertEquals(DestinationBreakers.CIRCUIT_OPEN, blocked.error());
        assertEquals(Duration.ofSeconds(30), blocked.retryAfter(), "tried again when the breaker lets one through");

        // another destination is not affected
        AttemptOutcome elsewhere = breakers.call(UUID.randomUUID(),
                () -> java.util.concurrent.CompletableFuture.completedFuture(AttemptOutcome.success(200)))
                .toCompletableFuture().get();
        assertEquals(AttemptOutcome.Kind.SUCCESS, elsewhere.kind());
    }

    // --- helpers

    private static List<Received> awaitRequests(WebhookReceiver receiver, int count) {
        await().atMost(WAIT).until(() -> receiver.count() >= count);
        return receiver.received();
    }

    private static DeliveryLog awaitLog(Destination destination, Predicate<DeliveryLog> condition) {
        return await().atMost(WAIT).until(() -> logOf(destination), l -> l != null && condition.test(l));
    }

    private static DeliveryLog logOf(Destination destination) {
        return QuarkusTransaction.requiringNew().call(() -> DeliveryLog.<DeliveryLog> find("destinationId", destination.id)
                .firstResultOptional().orElse(null));
    }

    private static UUID eventRefOf(Tenant tenant, String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> Event.<Event> find("accountId = ?1 and eventId = ?2",
                tenant.accountId(), eventId).singleResult().id);
    }
}
