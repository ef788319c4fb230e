package io.datapusher.delivery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.ingest.Event;
import io.datapusher.ingest.EventPublisher;
import io.datapusher.testing.LocalServices;
import io.datapusher.testing.TcpProxy;
import io.datapusher.testing.Tenant;
import io.datapusher.testing.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * PostgreSQL goes away and comes back (the app reaches it through a TCP relay that the test
 * cuts): ingest answers 503, never 202, and a message whose fan-out failed meanwhile goes back to
 * the queue and is delivered once the database is back. The outbox sweep's start timeout is 10
 * minutes here, so only the message's redelivery can deliver it.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.BehindARelay.class)
class DatabaseOutageTest {

    public static class BehindARelay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("datapusher.outbox.start-timeout", "10m");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseRelay.class));
        }
    }

    /** Puts the relay in front of the test database; started after LocalServices, so its URL wins. */
    public static class DatabaseRelay implements QuarkusTestResourceLifecycleManager {
        static volatile TcpProxy proxy;

        @Override
        public Map<String, String> start() {
            proxy = new TcpProxy("127.0.0.1", 5432);
            return Map.of("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + LocalServices.DATABASE);
        }

        @Override
        public void stop() {
            proxy.close();
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

    @AfterEach
    void databaseBack() {
        DatabaseRelay.proxy.restore();
    }

    @Test
    void incomingData_whileTheDatabaseIsDown_isServiceUnavailable_thenAcceptedAgain() {
        Tenant tenant = Tenant.create();
        DatabaseRelay.proxy.cut();

        tenant.send("evt-down", "{}").then().statusCode(503)
                .header("Retry-After", notNullValue())
                .body("success", equalTo(false))
                .body("message", equalTo("Service Unavailable"));

        DatabaseRelay.proxy.restore();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> tenant.send("evt-down", "{}").statusCode() == 202);
    }

    @Test
    void aMessageWhoseFanOutFailed_isDelivered_onceTheDatabaseIsBack() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            tenant.destination(receiver.url("/later"), DeliveryMethod.POST, Map.of());
            byte[] body = "{\"during\":\"outage\"}".getBytes(StandardCharsets.UTF_8);
            UUID eventRef = QuarkusTransaction.requiringNew().call(() -> {
                Event event = new Event();
                event.id = UUID.randomUUID();
                event.accountId = tenant.accountId();
                event.eventId = "evt-outage";
                event.payload = body;
                event.receivedAt = Instant.now();
                event.publishedAt = Instant.now();
                event.persist();
                return event.id;
            });
            double failuresBefore = registry.counter("datapusher.delivery.fanout.failures").count();

            DatabaseRelay.proxy.cut();
            publisher.publish(eventRef);
            // the consumer took it, failed, gave it back, and takes it again: still down
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> registry.counter("datapusher.delivery.fanout.failures").count() >= failuresBefore + 2);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> receiver.count() == 0);

            DatabaseRelay.proxy.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.count() == 1);
            assertArrayEquals(body, receiver.received().get(0).body());
        }
    }
}
