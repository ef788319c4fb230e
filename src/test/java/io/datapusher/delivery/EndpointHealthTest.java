package io.datapusher.delivery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.datapusher.testing.BackgroundJobs;
import io.datapusher.testing.Destinations;
import io.datapusher.testing.Tenant;
import io.datapusher.testing.WebhookReceiver;
import io.datapusher.testing.WebhookReceiver.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * Endpoint health on the destination, and auto-disable: at once on 410 Gone, and after every
 * attempt failed for {@code disable-after} (2 s here); then deliveries end skipped until an admin
 * enables it again and recovers them.
 */
@QuarkusTest
@TestProfile(EndpointHealthTest.ShortWindows.class)
@BackgroundJobs.Run
class EndpointHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DESTINATION = "/accounts/{a}/destinations/{d}";

    public static class ShortWindows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("datapusher.destinations.disable-after", "2s",
                    "datapusher.destinations.health-success-interval", "0s");
        }
    }

    private static ValidatableResponse read(Tenant tenant, UUID destination) {
        return Api.as(tenant.bearer()).get(DESTINATION, tenant.accountId(), destination).then().statusCode(200);
    }

    private static boolean enabled(Tenant tenant, UUID destination) {
        return read(tenant, destination).extract().path("enabled");
    }

    @Test
    void goneDisablesAtOnce_thenDeliveriesAreSkipped_untilEnabledAndRecovered() {
        try (WebhookReceiver receiver = WebhookReceiver.start()
                .answering(n -> n == 1 ? Reply.status(410) : Reply.status(200))) {
            Tenant tenant = Tenant.create();
            UUID destination = UUID.fromString(Destinations.create(tenant.bearer(), tenant.accountId().toString(),
                    receiver.url("/gone")));
            Instant before = Instant.now().minusSeconds(1);

            tenant.send("gone-1", "{\"n\":1}").then().statusCode(202);
            assertEquals(DeliveryStatus.FAILED, LogFixtures.ended(destination, "gone-1").status);
            await().atMost(WAIT).until(() -> !enabled(tenant, destination));
            read(tenant, destination).body("disabled_reason", equalTo("it answered 410 Gone"))
                    .body("disabled_at", notNullValue()).body("health.consecutive_failures", equalTo(1))
                    .body("health.failing_since", notNullValue()).body("health.last_success_at", nullValue());

            tenant.send("gone-2", "{\"n\":2}").then().statusCode(202);
            DeliveryLog skipped = LogFixtures.ended(destination, "gone-2");
            assertEquals(DeliveryStatus.SKIPPED, skipped.status);
            assertEquals("destination disabled: it answered 410 Gone", skipped.error);
            assertEquals(1, receiver.count());

            Map<String, Object> enable = Destinations.body(receiver.url("/gone"));
            enable.put("enabled", true);
            Api.as(tenant.bearer()).body(enable).put(DESTINATION, tenant.accountId(), destination).then()
                    .statusCode(200).body("enabled", equalTo(true)).body("disabled_reason", nullValue())
                    .body("health.consecutive_failures", equalTo(0)).body("health.failing_since", nullValue());
            Api.as(tenant.bearer()).body(Map.of("since", before.toString(), "status", "skipped"))
                    .post(DESTINATION + "/recover", tenant.accountId(), destination).then().statusCode(202)
                    .body("recovered", equalTo(1));
            assertEquals(DeliveryStatus.SUCCESS, LogFixtures.ended(destination, "gone-2").status);
            await().atMost(WAIT).untilAsserted(() -> read(tenant, destination)
                    .body("health.last_success_at", notNullValue()).body("health.consecutive_failures", equalTo(0)));
        }
    }

    @Test
    void everyAttemptFailingForTheWindow_disables_andTheReasonSaysHowLong() {
        try (WebhookReceiver receiver = WebhookReceiver.start().answering(n -> Reply.status(500))) {
            Tenant tenant = Tenant.create();
            UUID destination = UUID.fromString(Destinations.create(tenant.bearer(), tenant.accountId().toString(),
                    receiver.url("/down")));

            tenant.send("down-1", "{\"n\":1}").then().statusCode(202);
            // its retries alone may outlast the window (the poller takes them a second apart)
            LogFixtures.ended(destination, "down-1");
            await().pollDelay(Duration.ofMillis(2100)).atMost(WAIT).until(() -> true);
            tenant.send("down-2", "{\"n\":2}").then().statusCode(202);
            await().atMost(WAIT).until(() -> !enabled(tenant, destination));
            read(tenant, destination).body("disabled_reason", equalTo("every attempt failed for 2s"))
                    .body("health.consecutive_failures", greaterThanOrEqualTo(2))
                    .body("health.failing_since", notNullValue()).body("health.last_success_at", nullValue());
            tenant.send("down-3", "{\"n\":3}").then().statusCode(202);
            assertEquals(DeliveryStatus.SKIPPED, LogFixtures.ended(destination, "down-3").status);
        }
    }

    @Test
    void aSuccessAfterFailures_clearsTheRun_andKeepsTheLastFailureTime() {
        try (WebhookReceiver receiver = WebhookReceiver.start()
                .answering(n -> n <= 2 ? Reply.status(503) : Reply.status(200))) {
            Tenant tenant = Tenant.create();
            UUID destination = UUID.fromString(Destinations.create(tenant.bearer(), tenant.accountId().toString(),
                    receiver.url("/flaky")));

            tenant.send("flaky-1", "{\"n\":1}").then().statusCode(202);
            DeliveryLog log = LogFixtures.ended(destination, "flaky-1");
            assertEquals(DeliveryStatus.SUCCESS, log.status);
            assertEquals(3, log.attempts);
            await().atMost(WAIT).untilAsserted(() -> read(tenant, destination).body("enabled", equalTo(true))
                    .body("health.consecutive_failures", equalTo(0)).body("health.failing_since", nullValue())
                    .body("health.last_failure_at", notNullValue()).body("health.last_success_at", notNullValue()));
        }
    }
}
