package io.datapusher.delivery;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.datapusher.member.RoleCode;
import io.datapusher.testing.Api;
import io.datapusher.testing.BackgroundJobs;
import io.datapusher.testing.Destinations;
import io.datapusher.testing.Tenant;
import io.datapusher.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A destination's delivery settings, end to end through the API: a filter (non-matching events
 * end skipped, not failed), max_per_second (deliveries beyond it wait, none fails), enabled (a
 * disabled destination gets nothing; enabled again, recovery sends what it skipped), and who may
 * change them (admins; a normal member may still edit the URL).
 */
@QuarkusTest
@BackgroundJobs.Run
class DeliverySettingsTest {
    private static final String DESTINATIONS = "/accounts/{a}/destinations";
    private static final String DESTINATION = "/accounts/{a}/destinations/{d}";

    private static UUID create(Tenant tenant, Map<String, Object> body) {
        return UUID.fromString(Api.as(tenant.bearer()).body(body).post(DESTINATIONS, tenant.accountId()).then()
                .statusCode(201).extract().path("id"));
    }

    @Test
    void aFilter_deliversTheEventsItMatches_andLogsTheOthersSkipped_notFailed() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Map<String, Object> body = Destinations.body(receiver.url("/orders"));
            body.put("filter", List.of(Map.of("path", "type", "equals", "order.created"),
                    Map.of("path", "data.country", "in", List.of("FR", "DE"))));
            UUID destination = create(tenant, body);
            Api.as(tenant.bearer()).get(DESTINATION, tenant.accountId(), destination).then().statusCode(200)
                    .body("filter[0].path", equalTo("type")).body("filter[0].equals", equalTo("order.created"))
                    .body("filter[1].in[1]", equalTo("DE")).body("filter[1].equals", nullValue());

            tenant.send("match", "{\"type\":\"order.created\",\"data\":{\"country\":\"DE\"}}").then().statusCode(202);
            tenant.send("other-type", "{\"type\":\"order.paid\",\"data\":{\"country\":\"DE\"}}").then().statusCode(202);
            tenant.send("other-country", "{\"type\":\"order.created\",\"data\":{\"country\":\"ES\"}}").then()
                    .statusCode(202);

            assertEquals(DeliveryStatus.SUCCESS, LogFixtures.ended(destination, "match").status);
            for (String eventId : List.of("other-type", "other-country")) {
                DeliveryLog skipped = LogFixtures.ended(destination, eventId);
                assertEquals(DeliveryStatus.SKIPPED, skipped.status);
                assertEquals(0, skipped.attempts);
                assertEquals("the destination's filter does not match the event", skipped.error);
            }
            assertEquals(1, receiver.count());
            Api.as(tenant.bearer()).queryParam("status", "skipped").get("/accounts/{a}/logs", tenant.accountId())
                    .then().statusCode(200).body("items.size()", equalTo(2));

            // [] removes the filter; left out, it stays
            Map<String, Object> update = Destinations.body(receiver.url("/orders"));
            Api.as(tenant.bearer()).body(update).put(DESTINATION, tenant.accountId(), destination).then()
                    .statusCode(200).body("filter.size()", equalTo(2));
            update.put("filter", List.of());
            Api.as(tenant.bearer()).body(update).put(DESTINATION, tenant.accountId(), destination).then()
                    .statusCode(200).body("filter", nullValue());
        }
    }

    @Test
    void aMalformedFilterOrRate_isInvalidData_onItsField() {
        Tenant tenant = Tenant.create();
        Map<String, Object> body = Destinations.body("https://hooks.example.com/x");
        body.put("filter", List.of(Map.of("path", "a..b", "exists", true)));
        invalid(tenant, body, "filter[0].path");
        body.put("filter", List.of(Map.of("path", "a", "exists", true, "equals", 1)));
        invalid(tenant, body, "filter[0]");
        body.put("filter", List.of(Map.of("path", "a", "equals", Map.of("nested", 1))));
        invalid(tenant, body, "filter[0].equals");
        body.remove("filter");
        body.put("max_per_second", -1);
        invalid(tenant, body, "max_per_second");
        body.put("max_per_second", 10_001);
        invalid(tenant, body, "max_per_second");
    }

    private static void invalid(Tenant tenant, Map<String, Object> body, String field) {
        Api.as(tenant.bearer()).body(body).post(DESTINATIONS, tenant.accountId()).then().statusCode(400)
                .body("message", equalTo("Invalid Data")).body("errors[0].field", equalTo(field));
    }

    @Test
    void maxPerSecond_spreadsTheDeliveries_andNoneFailsOrCountsAnAttemptWhileItWaits() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Map<String, Object> body = Destinations.body(receiver.url("/slow-lane"));
            body.put("max_per_second", 1);
            UUID destination = create(tenant, body);
            int events = 5; // the account's ingest burst
            for (int i = 0; i < events; i++) {
                tenant.send("rate-" + i, "{\"i\":" + i + "}").then().statusCode(202);
            }

            for (int i = 0; i < events; i++) {
                DeliveryLog log = LogFixtures.ended(destination, "rate-" + i);
                assertEquals(DeliveryStatus.SUCCESS, log.status);
                assertEquals(1, log.attempts, "waiting for a token is not an attempt");
            }
            List<WebhookReceiver.Received> received = receiver.received();
            assertEquals(events, received.size());
            // one token at first, then one a second: the fifth cannot arrive before ~4 s after the first
            Duration spread = Duration.between(received.get(0).at(), received.get(events - 1).at());
            assertTrue(spread.compareTo(Duration.ofMillis(3500)) >= 0, "all arrived within " + spread);
        }
    }

    @Test
    void aNormalMember_mayEditTheUrl_butNotTheDeliverySettings_andAnAdminsDisableSkipsUntilEnabledAndRecovered() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            UUID destination = create(tenant, Destinations.body(receiver.url("/first")));
            String normal = LogFixtures.member(tenant.accountId(), tenant.userId(), RoleCode.NORMAL);

            Map<String, Object> edit = Destinations.body(receiver.url("/edited"));
            edit.put("enabled", true); // unchanged: allowed
            Api.as(normal).body(edit).put(DESTINATION, tenant.accountId(), destination).then().statusCode(200)
                    .body("url", equalTo(receiver.url("/edited")));
            for (Map.Entry<String, Object> change : Map.<String, Object> of("enabled", false, "max_per_second", 3,
                    "filter", List.of(Map.of("path", "a", "exists", true))).entrySet()) {
                Map<String, Object> forbidden = Destinations.body(receiver.url("/edited"));
                forbidden.put(change.getKey(), change.getValue());
                Api.as(normal).body(forbidden).put(DESTINATION, tenant.accountId(), destination).then().statusCode(403);
            }
            Api.as(normal).get(DESTINATION, tenant.accountId(), destination).then().statusCode(200)
                    .body("enabled", equalTo(true)).body("max_per_second", nullValue())
                    .body("health.consecutive_failures", equalTo(0));

            Instant before = Instant.now().minusSeconds(1);
            Map<String, Object> disable = Destinations.body(receiver.url("/edited"));
            disable.put("enabled", false);
            Api.as(tenant.bearer()).body(disable).put(DESTINATION, tenant.accountId(), destination).then()
                    .statusCode(200).body("enabled", equalTo(false))
                    .body("disabled_reason", equalTo("disabled by an admin"));
            tenant.send("while-disabled", "{\"n\":1}").then().statusCode(202);
            DeliveryLog skipped = LogFixtures.ended(destination, "while-disabled");
            assertEquals(DeliveryStatus.SKIPPED, skipped.status);
            assertEquals("destination disabled: disabled by an admin", skipped.error);
            assertEquals(0, receiver.count());

            Map<String, Object> enable = Destinations.body(receiver.url("/edited"));
            enable.put("enabled", true);
            Api.as(tenant.bearer()).body(enable).put(DESTINATION, tenant.accountId(), destination).then()
                    .statusCode(200).body("enabled", equalTo(true)).body("disabled_reason", nullValue());
            Api.as(tenant.bearer()).body(Map.of("since", before.toString(), "status", "skipped"))
                    .post(DESTINATION + "/recover", tenant.accountId(), destination).then().statusCode(202)
                    .body("recovered", equalTo(1));
            assertEquals(DeliveryStatus.SUCCESS, LogFixtures.ended(destination, "while-disabled").status);
            assertEquals(1, receiver.count());
        }
    }
}
