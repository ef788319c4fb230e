package io.datapusher.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.junit.jupiter.api.Test;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.destination.Destination;
import io.datapusher.destination.HostResolver;
import io.datapusher.testing.Tenant;
import io.datapusher.testing.WebhookReceiver;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A host with several addresses, through a resolver that answers fixed addresses for made-up
 * names, and a real server on 127.0.0.1 (127.0.0.0/8 is allowed in tests; 127.0.0.2 and 127.0.0.3
 * have nothing listening on the server's port, so they refuse the connection). The delivery skips
 * the addresses the guard refuses and moves on from one that refuses the connection, within one
 * attempt; it never connects to a refused address.
 */
@QuarkusTest
@TestProfile(ResolvedAddressesTest.FixedNames.class)
class ResolvedAddressesTest {

    public static class FixedNames implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FixedResolver.class);
        }
    }

    /** An alternative without a priority: enabled only by this test's profile, not in other tests. */
    @Alternative
    @ApplicationScoped
    public static class FixedResolver extends HostResolver {
        static final Map<String, List<String>> NAMES = Map.of(
                "refused-then-up.test", List.of("10.0.0.1", "169.254.169.254", "127.0.0.1"),
                "down-then-up.test", List.of("127.0.0.2", "10.0.0.1", "127.0.0.3", "127.0.0.1"),
                "only-refused.test", List.of("10.0.0.1", "192.168.1.1", "::ffff:0:127.0.0.1"),
                "only-down.test", List.of("127.0.0.2", "127.0.0.3"));

        @Override
        public InetAddress[] addressesOf(String host) throws UnknownHostException {
            List<String> addresses = NAMES.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] resolved = new InetAddress[addresses.size()];
            for (int i = 0; i < resolved.length; i++) {
                resolved[i] = InetAddress.getByName(addresses.get(i));
            }
            return resolved;
        }
    }

    @Test
    void firstAddressesRefusedByTheGuardOrDown_theNextOneIsUsed_inOneAttempt() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination refusedFirst = tenant.destination("http://refused-then-up.test:" + receiver.port() + "/a",
                    DeliveryMethod.POST, Map.of());
            Destination downFirst = tenant.destination("http://down-then-up.test:" + receiver.port() + "/b",
                    DeliveryMethod.POST, Map.of());
            tenant.send("evt-next-address", "{\"a\":1}").then().statusCode(202);

            for (Destination destination : List.of(refusedFirst, downFirst)) {
                DeliveryLog log = await().atMost(Duration.ofSeconds(20)).until(() -> logOf(destination),
                        l -> l != null && l.attempts >= 1);
                assertEquals(DeliveryStatus.SUCCESS, log.status);
                assertEquals(1, log.attempts);
                assertEquals(200, log.responseStatus);
            }
            assertEquals(2, receiver.count());
            // the URL's host went in the Host header, while the connection went to the checked address
            assertEquals(Set.of("refused-then-up.test:" + receiver.port(), "down-then-up.test:" + receiver.port()),
                    Set.copyOf(receiver.received().stream().map(r -> r.header("Host")).toList()));
        }
    }

    @Test
    void everyAddressRefusedByTheGuard_failsAtOnce_andNothingIsSent() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination("http://only-refused.test:" + receiver.port() + "/",
                    DeliveryMethod.POST, Map.of());
            tenant.send("evt-only-refused", "{\"a\":1}").then().statusCode(202);

            DeliveryLog log = await().atMost(Duration.ofSeconds(20)).until(() -> logOf(destination),
                    l -> l != null && l.status != DeliveryStatus.PENDING);
            assertEquals(DeliveryStatus.FAILED, log.status);
            assertEquals(1, log.attempts);
            assertEquals("address not allowed", log.error);
            assertNull(log.responseStatus);
            assertEquals(0, receiver.count());
        }
    }

    @Test
    void everyAddressDown_isAConnectionRefused_retriedLater() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination("http://only-down.test:" + receiver.port() + "/",
                    DeliveryMethod.POST, Map.of());
            tenant.send("evt-only-down", "{\"a\":1}").then().statusCode(202);

            DeliveryLog log = await().atMost(Duration.ofSeconds(20)).until(() -> logOf(destination),
                    l -> l != null && l.attempts >= 1);
            assertEquals("connection refused", log.error);
            assertNull(log.responseStatus);
            assertEquals(0, receiver.count());
        }
    }

    private static DeliveryLog logOf(Destination destination) {
        return QuarkusTransaction.requiringNew().call(() -> DeliveryLog.<DeliveryLog> find("destinationId", destination.id)
                .firstResultOptional().orElse(null));
    }
}
