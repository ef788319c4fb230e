package io.datapusher.delivery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
import io.datapusher.testing.WebhookReceiver.Reply;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code ordering: fifo} end to end: the account's events reach the destination one at a time in
 * the order they were accepted, a failing one holds those behind it (and says so in their logs)
 * while the account's unordered destination gets everything at once, and turning the destination
 * unordered releases the queue.
 */
@QuarkusTest
@BackgroundJobs.Run
class OrderedDeliveryTest {
    private static final String DESTINATIONS = "/accounts/{a}/destinations";
    private static final String DESTINATION = "/accounts/{a}/destinations/{d}";

    private static Map<String, Object> body(String url, String ordering) {
        Map<String, Object> body = Destinations.body(url);
        if (ordering != null) {
            body.put("ordering", ordering);
        }
        return body;
    }

    private static UUID create(Tenant tenant, Map<String, Object> body) {
        return UUID.fromString(Api.as(tenant.bearer()).body(body).post(DESTINATIONS, tenant.accountId()).then()
                .statusCode(201).extract().path("id"));
    }

    private static List<String> eventIds(WebhookReceiver receiver) {
        return receiver.received().stream().map(r -> r.header("webhook-id")).toList();
    }

    @Test
    void aFailingEvent_holdsTheOnesBehindIt_forItsDestinationOnly_andTheOrderIsKept() {
        // The ordered destination's requests come one at a time, so the n-th answer is known:
        // event 2 fails once at once, then once slowly (held 1.5 s, within the 2 s test timeout).
        try (WebhookReceiver ordered = WebhookReceiver.start().answering(n -> switch (n) {
            case 2 -> Reply.status(500);
            case 3 -> Reply.status(500).after(1500);
            default -> Reply.status(200);
        }); WebhookReceiver unordered = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            UUID fifo = create(tenant, body(ordered.url("/in-order"), "fifo"));
            create(tenant, body(unordered.url("/as-they-come"), null));
            for (int i = 1; i <= 5; i++) {
                tenant.send("fifo-" + i, "{\"i\":" + i + "}").then().statusCode(202);
            }

            // while event 2's second attempt is held: the unordered destination has everything,
            // the ordered one nothing behind event 2, and the waiting logs say whom they wait for
            await().atMost(Duration.ofSeconds(30)).until(() -> ordered.count() == 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> unordered.count() == 5);
            DeliveryLog second = LogFixtures.logOf(fifo, "fifo-2");
            for (int i = 3; i <= 5; i++) {
                DeliveryLog waiting = LogFixtures.logOf(fifo, "fifo-" + i);
                assertEquals(DeliveryStatus.PENDING, waiting.status);
                assertEquals(0, waiting.attempts);
                Api.as(tenant.bearer()).get("/accounts/{a}/logs/{l}", tenant.accountId(), waiting.id).then()
                        .statusCode(200)
                        .body("waiting_for.log_id", equalTo(second.id.toString()))
                        .body("waiting_for.event_id", equalTo("fifo-2"))
                        .body("waiting_for.reason", containsString("is being sent"));
            }
            Api.as(tenant.bearer()).get("/accounts/{a}/logs/{l}", tenant.accountId(), second.id).then()
                    .statusCode(200).body("waiting_for", nullValue());
            assertEquals(3, ordered.count(), "nothing behind event 2 was sent while it failed");

            for (int i = 1; i <= 5; i++) {
                assertEquals(DeliveryStatus.SUCCESS, LogFixtures.ended(fifo, "fifo-" + i).status);
            }
            assertEquals(List.of("fifo-1", "fifo-2", "fifo-2", "fifo-2", "fifo-3", "fifo-4", "fifo-5"),
                    eventIds(ordered));
            assertEquals(3, LogFixtures.ended(fifo, "fifo-2").attempts);
            Api.as(tenant.bearer()).get(DESTINATION, tenant.accountId(), fifo).then().statusCode(200)
                    .body("ordering", equalTo("fifo"));
        }
    }

    @Test
    void turningTheDestinationUnordered_releasesTheEventsWaitingBehindAFailingOne() {
        // The first event's answer asks for a retry in 30 s (capped at the test's 5 s max backoff).
        try (WebhookReceiver receiver = WebhookReceiver.start()
                .answering(n -> n == 1 ? Reply.status(503).withHeader("Retry-After", "30") : Reply.status(200))) {
            Tenant tenant = Tenant.create();
            UUID fifo = create(tenant, body(receiver.url("/in-order"), "fifo"));
            for (int i = 1; i <= 3; i++) {
                tenant.send("held-" + i, "{\"i\":" + i + "}").then().statusCode(202);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> LogFixtures.logOf(fifo, "held-1").attempts == 1);
            DeliveryLog third = LogFixtures.logOf(fifo, "held-3");
            Api.as(tenant.bearer()).get("/accounts/{a}/logs/{l}", tenant.accountId(), third.id).then()
                    .statusCode(200).body("waiting_for.event_id", equalTo("held-1"))
                    .body("waiting_for.reason", containsString("has failed 1 attempt (last: HTTP 503)"));
            assertEquals(1, receiver.count());

            Api.as(tenant.bearer()).body(body(receiver.url("/in-order"), "unordered"))
                    .put(DESTINATION, tenant.accountId(), fifo).then().statusCode(200)
                    .body("ordering", equalTo("unordered"));
            // both go now, long before the first one's retry is due
            await().atMost(Duration.ofSeconds(3)).until(() -> receiver.count() == 3);
            assertEquals(DeliveryStatus.PENDING, LogFixtures.logOf(fifo, "held-1").status);
            assertEquals(DeliveryStatus.SUCCESS, LogFixtures.ended(fifo, "held-1").status);
            assertTrue(eventIds(receiver).containsAll(List.of("held-2", "held-3")));
        }
    }

    @Test
    void deliveriesThatFailedWhileOrdered_areSentWhenRecoveredOrRedelivered_afterTheDestinationTurnedUnordered() {
        try (WebhookReceiver receiver = WebhookReceiver.start().answering(n -> Reply.status(500))) {
            Tenant tenant = Tenant.create();
            UUID destination = create(tenant, body(receiver.url("/was-ordered"), "fifo"));
            tenant.send("old-1", "{}").then().statusCode(202);
            tenant.send("old-2", "{}").then().statusCode(202);
            DeliveryLog first = LogFixtures.ended(destination, "old-1");
            assertEquals(DeliveryStatus.FAILED, LogFixtures.ended(destination, "old-2").status);

            Api.as(tenant.bearer()).body(body(receiver.url("/was-ordered"), "unordered"))
                    .put(DESTINATION, tenant.accountId(), destination).then().statusCode(200);
            receiver.answering(n -> Reply.status(200));
            Api.as(tenant.bearer()).post("/accounts/{a}/logs/{l}/redeliver", tenant.accountId(), first.id).then()
                    .statusCode(202);
            Api.as(tenant.bearer()).body(Map.of("since", first.receivedAt.minusSeconds(1).toString()))
                    .post(DESTINATION + "/recover", tenant.accountId(), destination).then().statusCode(202)
                    .body("recovered", equalTo(1));

            assertEquals(DeliveryStatus.SUCCESS, LogFixtures.ended(destination, "old-1").status);
            assertEquals(DeliveryStatus.SUCCESS, LogFixtures.ended(destination, "old-2").status);
        }
    }

    @Test
    void orderingIsAnAdminSetting_checkedAtSave_andKeptWhenLeftOut() {
        Tenant tenant = Tenant.create();
        Map<String, Object> body = body("https://hooks.example.com/x", "lifo");
        Api.as(tenant.bearer()).body(body).post(DESTINATIONS, tenant.accountId()).then().statusCode(400)
                .body("errors[0].field", equalTo("ordering"));
        body.remove("ordering");
        UUID destination = create(tenant, body);
        Api.as(tenant.bearer()).get(DESTINATION, tenant.accountId(), destination).then().statusCode(200)
                .body("ordering", equalTo("unordered"));
        body.put("ordering", "fifo");
        Api.as(tenant.bearer()).body(body).put(DESTINATION, tenant.accountId(), destination).then().statusCode(200)
                .body("ordering", equalTo("fifo"));
        body.remove("ordering");
        Api.as(tenant.bearer()).body(body).put(DESTINATION, tenant.accountId(), destination).then().statusCode(200)
                .body("ordering", equalTo("fifo"));

        String member = LogFixtures.member(tenant.accountId(), tenant.userId(), RoleCode.NORMAL);
        body.put("ordering", "unordered");
        Api.as(member).body(body).put(DESTINATION, tenant.accountId(), destination).then().statusCode(403);
        body.put("ordering", "fifo");
        Api.as(member).body(body).put(DESTINATION, tenant.accountId(), destination).then().statusCode(200)
                .body("ordering", equalTo("fifo"));
    }
}
