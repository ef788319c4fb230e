package io.datapusher.delivery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.destination.Destination;
import io.datapusher.testing.Api;
import io.datapusher.testing.Destinations;
import io.datapusher.testing.Tenant;
import io.datapusher.testing.WebhookReceiver;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With the allow-list empty, as in production by default, a destination on {@code localhost}
 * (resolved by DNS to 127.0.0.1) or on a loopback literal is never connected to: its log fails
 * with "address not allowed" at once, and the server listening there receives nothing.
 */
@QuarkusTest
@TestProfile(LoopbackRefusedTest.NothingAllowed.class)
class LoopbackRefusedTest {

    public static class NothingAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("datapusher.destinations.allowed-cidrs", "");
        }
    }

    @Test
    void localhost_isRefusedAfterResolution_withoutTheAllowList() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination byName = tenant.destination("http://localhost:" + receiver.port() + "/hook", DeliveryMethod.POST,
                    Map.of());
            Destination byAddress = tenant.destination(receiver.url("/hook"), DeliveryMethod.GET, Map.of());
            tenant.send("evt-ssrf", "{\"a\":1}").then().statusCode(202);

            for (Destination destination : new Destination[] { byName, byAddress }) {
                DeliveryLog log = await().atMost(Duration.ofSeconds(20)).until(() -> logOf(destination),
                        l -> l != null && l.status == DeliveryStatus.FAILED);
                assertEquals(1, log.attempts);
                assertEquals("address not allowed", log.error);
                assertNull(log.responseStatus);
            }
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> receiver.count() == 0);
        }
    }

    @Test
    void destination_withALoopbackLiteral_isRefusedAtCreation_withoutTheAllowList() {
        String admin = Api.newUserToken("loopback");
        String account = Api.createAccount(admin, "Loopback");
        for (String url : new String[] { "http://127.0.0.1/hook", "http://127.1.2.3:8080/", "http://[::ffff:127.0.0.1]/",
                "http://2130706433/" }) {
            Api.as(admin).body(Destinations.body(url)).post("/accounts/{a}/destinations", account).then()
                    .statusCode(400)
                    .body("message", equalTo("Invalid Data"))
                    .body("errors.field", hasItem("url"));
        }
        Api.as(admin).get("/accounts/{a}/destinations", account).then().statusCode(200).body("total", equalTo(0));
    }

    private static DeliveryLog logOf(Destination destination) {
        return QuarkusTransaction.requiringNew().call(() -> DeliveryLog.<DeliveryLog> find("destinationId", destination.id)
                .firstResultOptional().orElse(null));
    }
}
