package io.datapusher.delivery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.datapusher.common.DatabaseOutage;
import io.datapusher.destination.DeliveryMethod;
import io.datapusher.ingest.EventPublisher;
import io.datapusher.testing.BackgroundJobs;
import io.datapusher.testing.LocalServices;
import io.datapusher.testing.TcpProxy;
import io.datapusher.testing.Tenant;
import io.datapusher.testing.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * PostgreSQL or RabbitMQ goes away and comes back: the app reaches each through a TCP relay that
 * the test cuts (connections reset, new ones refused) and restores, while the shared services
 * keep running for everyone else.
 */
@QuarkusTest
@BackgroundJobs.Run
@TestProfile(OutageTest.BehindRelays.class)
class OutageTest {

    public static class BehindRelays implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Relays.class));
        }
    }

    /** Relays in front of the test database and the broker; started after LocalServices, so these win. */
    public static class Relays implements QuarkusTestResourceLifecycleManager {
        static volatile TcpProxy database;
        static volatile TcpProxy broker;

        @Override
        public Map<String, String> start() {
            database = new TcpProxy("127.0.0.1", 5432);
            broker = new TcpProxy("127.0.0.1", 5672);
            return Map.of("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + LocalServices.DATABASE,
                    "amqp-port", Integer.toString(broker.port()));
        }

        @Override
        public void stop() {
            database.close();
            broker.close();
        }

        @Override
        public int order() {
            return 100;
        }
    }

    @Inject
    EventPublisher publisher;

    @Inject
    MeterRegistry registry;

    @Inject
    DatabaseOutage databaseOutage;

    @AfterEach
    void servicesBack() {
        Relays.database.restore();
        Relays.broker.restore();
    }

    @Test
    void incomingData_whileTheDatabaseIsDown_isServiceUnavailable_thenAcceptedAgain() {
        Tenant tenant = Tenant.create();
        Relays.database.cut();

        tenant.send("evt-down", "{}").then().statusCode(503)
                .header("Retry-After", notNullValue())
                .body("success", equalTo(false))
                .body("message", equalTo("Service Unavailable"));
        assertTrue(databaseOutage.isDown(), "the 503 should have started an outage");

        Relays.database.restore();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> tenant.send("evt-down", "{}").statusCode() == 202);
        // the accepted event's batch (or the due poller) reached the database: the outage has ended
        await().atMost(Duration.ofSeconds(5)).until(() -> !databaseOutage.isDown());
        assertEquals(0.0, registry.get("datapusher.dependency.down").tag("dependency", "database").gauge().value());
    }

    @Test
    void aMessageWhoseClaimFailed_isDelivered_onceTheDatabaseIsBack() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            tenant.destination(receiver.url("/later"), DeliveryMethod.POST, Map.of());
            // not due for the poller for 10 minutes: only its message can deliver it in this test
            UUID eventRef = LogFixtures.pendingEvent(tenant.accountId(), "evt-outage", "{\"during\":\"outage\"}",
                    Instant.now().plusSeconds(600));
            double failuresBefore = registry.counter("datapusher.delivery.claim.failures").count();

            Relays.database.cut();
            publisher.publish(List.of(eventRef));
            // the consumer took it, failed, gave it back, and takes it again: still down
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> registry.counter("datapusher.delivery.claim.failures").count() >= failuresBefore + 2);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> receiver.count() == 0);

            Relays.database.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.count() == 1);
            assertArrayEquals("{\"during\":\"outage\"}".getBytes(StandardCharsets.UTF_8),
                    receiver.received().get(0).body());
        }
    }

    @Test
    void eventsAccepted_whileTheBrokerIsUnreachable_areEachDeliveredOnce_withoutWaitingForIt() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            tenant.destination(receiver.url("/after-broker"), DeliveryMethod.POST, Map.of());
            Relays.broker.cut();

            // committed in PostgreSQL with their logs, so accepted: the broker is not on the way to the answer
            for (int i = 1; i <= 4; i++) {
                tenant.send("evt-broker-" + i, "{\"n\":" + i + "}").then().statusCode(202);
            }
            // their messages are lost, and the due poller takes the logs after the hand-off grace (1 s here)
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.count() >= 4);

            Relays.broker.restore();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> receiver.count() == 4);
            assertEquals(Set.of("evt-broker-1", "evt-broker-2", "evt-broker-3", "evt-broker-4"),
                    receiver.received().stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet()));
        }
    }
}
