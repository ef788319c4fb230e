package io.datapusher.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.ingest.Event;
import io.datapusher.ingest.EventPublisher;
import io.datapusher.platform.Draining;
import io.datapusher.testing.Api;
import io.datapusher.testing.BackgroundJobs;
import io.datapusher.testing.Tenant;
import io.datapusher.testing.WebhookReceiver;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A replica that drains, as it does from SIGTERM on: the API answers 503 while health and metrics
 * answer, and the delivery engine starts no new work (no slot is granted, so neither the consumer
 * nor the poller leases anything; a delivery leased before is given back), leaving it to the
 * other replicas at once. {@code ShutdownIT} sends a real
 * SIGTERM; this pins each rule down. A Quarkus start of its own: draining cannot be undone, so
 * every tenant is made before it begins.
 */
@QuarkusTest
@BackgroundJobs.Run
@TestProfile(DrainingTest.Drains.class)
class DrainingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Several poll and sweep intervals (1 s in tests). */
    private static final Duration NOTHING_HAPPENS = Duration.ofSeconds(3);

    public static class Drains implements QuarkusTestProfile {
    }

    private static WebhookReceiver receiver;
    private static Tenant refused;
    private static Tenant leased;
    private static Tenant consumed;
    private static Tenant due;
    private static List<Delivery> leasedBeforeDraining;
    private static boolean givenBack;

    @Inject
    InFlight inFlight;

    @Inject
    DeliveryClaims claims;

    @Inject
    Dispatcher dispatcher;

    @Inject
    EventPublisher publisher;

    /** Once, before the first test: REST Assured knows the app's port only from the first test on. */
    @BeforeEach
    void leaseADeliveryThenDrain() {
        if (receiver != null) {
            return;
        }
        receiver = WebhookReceiver.start();
        refused = Tenant.create();
        leased = Tenant.create();
        consumed = Tenant.create();
        due = Tenant.create();
        leased.destination(receiver.url("/leased"), DeliveryMethod.POST, Map.of());
        consumed.destination(receiver.url("/consumed"), DeliveryMethod.POST, Map.of());
        due.destination(receiver.url("/due"), DeliveryMethod.POST, Map.of());

        // claimed as the consumer claims, so leased to this replica, but not attempted yet
        UUID eventRef = LogFixtures.pendingEvent(leased.accountId(), "evt-leased", "{}", Instant.now().plusSeconds(600));
        assertEquals(1, inFlight.reserve(1));
        leasedBeforeDraining = claims.claimNew(List.of(eventRef), 1);
        assertEquals(1, leasedBeforeDraining.size());

        Arc.container().instance(Draining.class).get().begin();
    }

    @AfterAll
    static void giveBackAndStop() {
        if (leasedBeforeDraining != null && !givenBack) {
            Arc.container().instance(Dispatcher.class).get().dispatch(leasedBeforeDraining);
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theApi_answers503_withRetryAfter_andClosesTheConnection_andStoresNothing() {
        refused.send("evt-refused", "{}").then().statusCode(503)
                .header("Retry-After", "5")
                .header("Connection", "close")
                .contentType("application/json")
                .body(equalTo("{\"success\":false,\"message\":\"Service Unavailable\"}"));
        Api.as(refused.bearer()).get("/auth/me").then().statusCode(503);
        given().contentType("application/json").body(Map.of("email", "x@example.com", "password", "long enough"))
                .post("/auth/login").then().statusCode(503);

        assertEquals(0L, (long) QuarkusTransaction.requiringNew()
                .call(() -> Event.count("accountId = ?1 and eventId = ?2", refused.accountId(), "evt-refused")));
    }

    @Test
    void healthAndMetrics_goOnAnswering() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void noSlotIsGranted() {
        assertEquals(0, inFlight.reserve(1));
        assertEquals(0, inFlight.reserve(100));
    }

    @Test
    void aDeliveryLeasedBeforeDraining_isGivenBackUnattempted_andThePollerClaimsItNot() {
        Delivery delivery = leasedBeforeDraining.get(0);
        assertNotNull(logOf(delivery.logId()).leaseUntil);
        int slots = inFlight.held();

        dispatcher.dispatch(leasedBeforeDraining);
        givenBack = true;

        assertEquals(slots - 1, inFlight.held());
        DeliveryLog log = logOf(delivery.logId());
        assertNull(log.leaseUntil, "another replica's poller may claim it at once");
        assertNull(log.claimToken);
        assertTrue(!log.nextAttemptAt.isAfter(Instant.now()), "due now, not after the hand-off grace");
        assertEquals(DeliveryStatus.PENDING, log.status);
        assertEquals(0, log.attempts);
        // due and free, yet this replica's poller leaves it alone
        await().during(NOTHING_HAPPENS).atMost(NOTHING_HAPPENS.plusSeconds(2))
                .until(() -> requestsTo("/leased") == 0 && logOf(delivery.logId()).leaseUntil == null);
        assertEquals(0, logOf(delivery.logId()).attempts);
    }

    @Test
    void aMessageTakenWhileDraining_claimsNothing_forTheOtherReplicas() {
        UUID eventRef = LogFixtures.pendingEvent(consumed.accountId(), "evt-consumed", "{}",
                Instant.now().plusSeconds(600));
        publisher.publish(List.of(eventRef));

        await().during(NOTHING_HAPPENS).atMost(NOTHING_HAPPENS.plusSeconds(2))
                .until(() -> requestsTo("/consumed") == 0 && logOfEvent(eventRef).claimToken == null);
        DeliveryLog log = logOfEvent(eventRef);
        assertNull(log.leaseUntil);
        assertEquals(DeliveryStatus.PENDING, log.status);
        assertEquals(0, log.attempts);
    }

    @Test
    void theDuePoller_claimsNothing() {
        // due now: a running replica's poller claims it within a second
        UUID eventRef = LogFixtures.pendingEvent(due.accountId(), "evt-due", "{}", Instant.now());

        await().during(NOTHING_HAPPENS).atMost(NOTHING_HAPPENS.plusSeconds(2))
                .until(() -> logOfEvent(eventRef).claimToken == null);
        assertEquals(0, requestsTo("/due"));
    }

    private static long requestsTo(String path) {
        return receiver.received().stream().filter(r -> r.rawPath().equals(path)).count();
    }

    private static DeliveryLog logOf(UUID logId) {
        return QuarkusTransaction.requiringNew().call(() -> DeliveryLog.<DeliveryLog> findById(logId));
    }

    private static DeliveryLog logOfEvent(UUID eventRef) {
        return QuarkusTransaction.requiringNew()
                .call(() -> DeliveryLog.<DeliveryLog> find("event.id", eventRef).firstResultOptional().orElse(null));
    }
}
