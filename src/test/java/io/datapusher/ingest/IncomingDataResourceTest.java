package io.datapusher.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.testing.Tenant;
import io.datapusher.testing.WebhookReceiver;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** POST /server/incoming_data: every check, in the contract's order, on the real database and broker. */
@QuarkusTest
class IncomingDataResourceTest {
    private static final String PATH = "/server/incoming_data";
    private static final int LIMIT = 1024 * 1024;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void incomingData_withAnotherMethod_isMethodNotAllowed_evenWithoutToken() {
        for (String method : List.of("GET", "PUT", "PATCH", "DELETE", "OPTIONS")) {
            given().request(method, PATH).then().statusCode(405)
                    .header("Allow", "POST")
                    .body("success", equalTo(false))
                    .body("message", equalTo("Invalid Data"));
        }
        given().head(PATH).then().statusCode(405).header("Allow", "POST");
    }

    @Test
    void incomingData_withoutToken_isUnauthenticated_beforeBodyChecks() {
        given().header("CL-X-EVENT-ID", "e1").contentType("text/plain").body(new byte[LIMIT + 10])
                .post(PATH).then().statusCode(401)
                .body("success", equalTo(false))
                .body("message", equalTo("Unauthenticated"));
        given().header("CL-X-TOKEN", "").header("CL-X-EVENT-ID", "e1").contentType("application/json").body("{}")
                .post(PATH).then().statusCode(401);
    }

    @Test
    void incomingData_overTheLimit_isPayloadTooLarge_beforeContentAndTokenChecks() {
        byte[] tooLarge = jsonObjectOfSize(LIMIT + 1);
        given().header("CL-X-TOKEN", "no-such-token").contentType("text/plain").body(tooLarge)
                .post(PATH).then().statusCode(413)
                .body("success", equalTo(false))
                .body("message", equalTo("Payload Too Large"));
        Tenant tenant = Tenant.create();
        given().header("CL-X-TOKEN", tenant.appToken()).header("CL-X-EVENT-ID", "big").contentType("application/json")
                .body(tooLarge).post(PATH).then().statusCode(413);
    }

    @Test
    void incomingData_overTheLimit_withoutContentLength_isPayloadTooLarge() throws Exception {
        // Chunked: the limit is enforced while reading, not only from Content-Length.
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + PATH))
                .header("CL-X-TOKEN", "no-such-token").header("CL-X-EVENT-ID", "chunked")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(jsonObjectOfSize(LIMIT + 1))))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("Payload Too Large"), response.body());
    }

    @Test
    void incomingData_atExactlyTheLimit_isAccepted() {
        Tenant tenant = Tenant.create();
        given().header("CL-X-TOKEN", tenant.appToken()).header("CL-X-EVENT-ID", "exact")
                .contentType("application/json").body(jsonObjectOfSize(LIMIT))
                .post(PATH).then().statusCode(202);
    }

    @Test
    void incomingData_withABodyThatIsNotOneJsonObject_isInvalid_beforeTheTokenIsLookedUp() {
        for (String body : List.of("[1, 2]", "\"text\"", "42", "null", "{\"a\": ", "{} {}", "", "{'a': 1}")) {
            invalid(given().header("CL-X-TOKEN", "no-such-token").header("CL-X-EVENT-ID", "e1")
                    .contentType("application/json").body(body), "body");
        }
        invalid(given().header("CL-X-TOKEN", "no-such-token").header("CL-X-EVENT-ID", "e1")
                .contentType("application/json").body(new byte[] { '{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}' }),
                "body");
    }

    @Test
    void incomingData_withWrongOrMissingContentType_isInvalid() {
        invalid(given().header("CL-X-TOKEN", "no-such-token").header("CL-X-EVENT-ID", "e1")
                .contentType("text/plain").body("{}"), "Content-Type");
        invalid(given().header("CL-X-TOKEN", "no-such-token").header("CL-X-EVENT-ID", "e1")
                .contentType("application/json; charset=ISO-8859-1").body("{}"), "Content-Type");
        invalid(given().header("CL-X-TOKEN", "no-such-token").header("CL-X-EVENT-ID", "e1")
                .body("{}".getBytes(StandardCharsets.UTF_8)), "Content-Type");
    }

    @Test
    void incomingData_withMissingTooLongOrNonPrintableEventId_isInvalid() {
        invalid(given().header("CL-X-TOKEN", "no-such-token").contentType("application/json").body("{}"),
                "CL-X-EVENT-ID");
        for (String eventId : List.of("", "x".repeat(256), "a\tb", "caf\u00e9")) {
            invalid(given().header("CL-X-TOKEN", "no-such-token").header("CL-X-EVENT-ID", eventId)
                    .contentType("application/json").body("{}"), "CL-X-EVENT-ID");
        }
    }

    @Test
    void incomingData_withUnknownToken_isUnauthenticated() {
        given().header("CL-X-TOKEN", "no-such-token").header("CL-X-EVENT-ID", "e1").contentType("application/json")
                .body("{\"a\":1}").post(PATH).then().statusCode(401)
                .body("success", equalTo(false))
                .body("message", equalTo("Unauthenticated"));
    }

    @Test
    void incomingData_valid_isAccepted_andCommittedWithTheExactBytes() {
        Tenant tenant = Tenant.create();
        String eventId = "x".repeat(255);
        String body = "{ \"z\": 1.50,\n  \"a\": \"\u00fc\u20ac\" }";
        tenant.send(eventId, body).then().statusCode(202)
                .body("success", equalTo(true))
                .body("message", equalTo("Data Received"))
                .body("event_id", equalTo(eventId))
                .body("$", not(hasKey("duplicate")));

        Event stored = QuarkusTransaction.requiringNew()
                .call(() -> Event.<Event> find("accountId = ?1 and eventId = ?2", tenant.accountId(), eventId).singleResult());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), stored.payload);
    }

    @Test
    void incomingData_sameEventIdAgain_isDuplicate_andDeliveredOnce() {
        Tenant tenant = Tenant.create();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            tenant.destination(receiver.url("/hook"), DeliveryMethod.POST, Map.of());
            tenant.send("order-1", "{\"n\":1}").then().statusCode(202).body("$", not(hasKey("duplicate")));
            tenant.send("order-1", "{\"n\":2}").then().statusCode(202)
                    .body("success", equalTo(true))
                    .body("message", equalTo("Data Received"))
                    .body("event_id", equalTo("order-1"))
                    .body("duplicate", equalTo(true));

            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.count() == 1);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> receiver.count() == 1);
            assertEquals("{\"n\":1}", new String(receiver.received().get(0).body(), StandardCharsets.UTF_8));
        }
        // the same id in another account is another event
        Tenant other = Tenant.create();
        other.send("order-1", "{}").then().statusCode(202).body("$", not(hasKey("duplicate")));
    }

    @Test
    void incomingData_overTheRate_isTooManyRequests_withRetryAfter_thenAcceptedAgain() {
        Tenant tenant = Tenant.create();
        int accepted = 0;
        long started = System.nanoTime();
        Response limited = null;
        for (int i = 0; i < 60 && limited == null; i++) {
            Response response = tenant.send("rate-" + i, "{}");
            if (response.statusCode() == 202) {
                accepted++;
            } else {
                limited = response;
            }
        }
        double elapsedSeconds = (System.nanoTime() - started) / 1e9;
        assertTrue(limited != null, "never limited");
        limited.then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("success", equalTo(false))
                .body("message", equalTo("Too Many Requests"));
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        // a full bucket of 5, plus what refilled at 5 per second while the requests were made
        assertTrue(accepted >= 5 && accepted <= 5 + Math.ceil(elapsedSeconds * 5),
                accepted + " accepted in " + elapsedSeconds + " s");

        await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(retryAfter + 2))
                .until(() -> tenant.send("after-" + UUID.randomUUID(), "{}").statusCode() == 202);
    }

    @Test
    void metrics_ofReceivingAndDelivering_areExposed() {
        Tenant.create().send("metric-1", "{}").then().statusCode(202);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("datapusher_ingest_requests_total{outcome=\"accepted\"",
                "datapusher_ingest_requests_total{outcome=\"rate_limited\"", "datapusher_deliveries_total{status=\"retry\"",
                "datapusher_delivery_attempt_duration_seconds", "datapusher_delivery_latency_seconds_bucket",
                "datapusher_deliveries_unstarted", "datapusher_retries_waiting", "datapusher_ingest_messages_unsent_total")) {
            assertTrue(metrics.contains(name), name);
        }
    }

    @Test
    void incomingData_aTokenStillCachedAfterItsAccountWasDeletedElsewhere_isUnauthenticated() {
        Tenant tenant = Tenant.create();
        tenant.send("before", "{}").then().statusCode(202);
        // as another replica would: the row goes, this replica's token cache does not hear of it
        QuarkusTransaction.requiringNew().run(() -> Event.getEntityManager()
                .createNativeQuery("DELETE FROM accounts WHERE id = :id").setParameter("id", tenant.accountId())
                .executeUpdate());
        tenant.send("after", "{}").then().statusCode(401).body("message", equalTo("Unauthenticated"));
    }

    @Test
    void openApi_documentsTheEndpoint_withItsAnswers() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/server/incoming_data'.post.responses.keySet()",
                        org.hamcrest.Matchers.hasItems("202", "400", "401", "413", "429", "503"))
                .body("paths.'/server/incoming_data'.keySet()", equalTo(java.util.Set.of("post")))
                .body("tags.find { it.name == 'Receiving data' }.description",
                        org.hamcrest.Matchers.containsString("Redirects are not followed"));
    }

    private static void invalid(io.restassured.specification.RequestSpecification request, String field) {
        request.post(PATH).then().statusCode(400)
                .body("success", equalTo(false))
                .body("message", equalTo("Invalid Data"))
                .body("errors[0].field", equalTo(field));
    }

    /** A JSON object of exactly {@code size} bytes. */
    private static byte[] jsonObjectOfSize(int size) {
        String head = "{\"pad\":\"";
        String tail = "\"}";
        return (head + "a".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }
}
