package io.datapusher.console;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.datapusher.testing.BackgroundJobs;
import io.datapusher.testing.Destinations;
import io.datapusher.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The logs pages read without JavaScript: events really ingested and delivered to a loopback
 * receiver appear in the server-rendered list, newest first, with the API's filters and cursor,
 * in the chart, and on their own page with the request sent; redelivery is for admins only. The
 * background jobs run: a redelivery is sent by the due poller.
 */
@QuarkusTest
@BackgroundJobs.Run
class ConsoleLogsTest {
    private static final Pattern LOG_LINK = Pattern.compile("/logs/([0-9a-f-]{36})\"");

    private WebhookReceiver receiver;
    private String adminToken;
    private String appToken;
    private String account;
    private String destination;
    private ConsoleClient admin;
    private ConsoleClient normal;

    @BeforeEach
    void anAccountDeliveringToALoopbackReceiver() {
        receiver = WebhookReceiver.start();
        String email = Api.uniqueEmail("console-logs");
        Api.signup(email);
        adminToken = Api.login(email);
        account = Api.createAccount(adminToken, "Console logs");
        appToken = Api.appToken(adminToken, account);
        destination = Destinations.create(adminToken, account, receiver.url("/hook"));
        String normalEmail = Api.uniqueEmail("console-logs-normal");
        Api.addMember(adminToken, account, normalEmail, "normal");
        admin = ConsoleClient.signIn(email);
        normal = ConsoleClient.signIn(normalEmail);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private void send(String eventId, String json) {
        given().header("CL-X-TOKEN", appToken).header("CL-X-EVENT-ID", eventId).contentType("application/json")
                .body(json).post("/server/incoming_data").then().statusCode(202);
    }

    private void awaitDelivered(int count) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> Api.as(adminToken)
                .queryParam("status", "success").get("/accounts/{a}/logs", account).then()
                .body("items.size()", equalTo(count)));
    }

    @Test
    void deliveredEvents_areListedNewestFirst_inTheHtml_withoutJavaScript() {
        send("order-1", "{\"order\": 1}");
        awaitDelivered(1);
        send("order-2", "{\"order\": 2}");
        awaitDelivered(2);

        String html = normal.get("/console/accounts/{a}/logs", account).then().statusCode(200)
                .contentType(containsString("text/html")).extract().asString();
        int second = html.indexOf("order-2");
        int first = html.indexOf("order-1");
        assertTrue(second > 0 && first > second, "newest first");
        assertTrue(html.contains(receiver.url("/hook")));
        assertTrue(html.contains("class=\"status success\""));
        // the live view's rows come from the same server-rendered fragment
        assertTrue(html.contains("data-poll=\"/console/accounts/" + account + "/logs/rows\""), "live rows");
        normal.get("/console/accounts/{a}/logs/rows", account).then().statusCode(200)
                .body(containsString("order-2"), not(containsString("<html")));
        // the chart counts both, by the minute they ended
        assertTrue(html.contains("Deliveries per minute, last hour: 2 succeeded, 0 failed"), "chart title");
    }

    @Test
    void aLogWaitingInAnOrderedQueue_namesTheDeliveryItWaitsFor_andWhy() {
        receiver.answering(n -> n == 1 ? WebhookReceiver.Reply.status(503).withHeader("Retry-After", "30")
                : WebhookReceiver.Reply.status(200));
        Api.as(adminToken).body(Map.of("url", receiver.url("/hook"), "http_method", "POST", "headers", Map.of(),
                "ordering", "fifo")).put("/accounts/{a}/destinations/{d}", account, destination).then()
                .statusCode(200);
        send("ahead", "{}");
        send("behind", "{}");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> Api.as(adminToken)
                .queryParam("event_id", "ahead").get("/accounts/{a}/logs", account).then()
                .body("items[0].attempts", equalTo(1)));
        String behind = Api.as(adminToken).queryParam("event_id", "behind").get("/accounts/{a}/logs", account).then()
                .extract().path("items[0].id");

        normal.get("/console/accounts/{a}/logs/{l}", account, behind).then().statusCode(200)
                .body(containsString("Waiting for"), containsString(">ahead</a>"),
                        containsString("has failed 1 attempt (last: HTTP 503)"));
        normal.get("/console/accounts/{a}/destinations/{d}", account, destination).then().statusCode(200)
                .body(containsString("Ordered (<code>fifo</code>)"));
    }

    @Test
    void filtersAndCursor_areTheApis() {
        for (int i = 1; i <= 3; i++) {
            send("evt-" + i, "{\"n\": " + i + "}");
            awaitDelivered(i);
        }
        admin.request().queryParam("event_id", "evt-2").get("/console/accounts/{a}/logs", account).then()
                .statusCode(200).body(containsString("evt-2"), not(containsString("evt-1<")), not(containsString("evt-3<")));
        admin.request().queryParam("status", "failed").get("/console/accounts/{a}/logs", account).then()
                .statusCode(200).body(containsString("No logs match."));
        admin.request().queryParam("status", "lost").get("/console/accounts/{a}/logs", account).then()
                .statusCode(400).body(containsString("status: must be one of pending, success, failed"));
        // a datetime-local value without an offset is read as UTC
        admin.request().queryParam("received_to", "2000-01-01T00:00").get("/console/accounts/{a}/logs", account).then()
                .statusCode(200).body(containsString("No logs match."));

        // paging uses the API's cursor: with the API's own next_cursor, the console shows what the API shows
        String cursor = Api.as(adminToken).queryParam("limit", 1).get("/accounts/{a}/logs", account).then()
                .extract().path("next_cursor");
        admin.request().queryParam("cursor", cursor).get("/console/accounts/{a}/logs", account).then().statusCode(200)
                .body(containsString("evt-2"), containsString("evt-1"), not(containsString("evt-3<")),
                        containsString("Newest"), not(containsString("data-poll")));
    }

    @Test
    void oneLog_showsTheRequestSentAndTheAnswer_andOnlyAdminsMayRedeliver() {
        Api.as(adminToken).body(Map.of("url", receiver.url("/hook?src=dp"), "http_method", "POST", "headers",
                Map.of("X-Api-Key", "k-123"))).put("/accounts/{a}/destinations/{d}", account, destination).then()
                .statusCode(200);
        send("order-42", "{\"order\":42,\"total\":\"19.90\"}");
        awaitDelivered(1);
        String list = admin.get("/console/accounts/{a}/logs", account).then().extract().asString();
        Matcher link = LOG_LINK.matcher(list);
        assertTrue(link.find(), "a link to the log");
        String logId = link.group(1);

        String page = normal.get("/console/accounts/{a}/logs/{l}", account, logId).then().statusCode(200).extract()
                .asString();
        assertTrue(page.contains("POST " + receiver.url("/hook?src=dp")), page);
        assertTrue(page.contains("X-Api-Key: k-123"));
        assertTrue(page.contains("webhook-id: order-42"));
        assertTrue(page.contains("Content-Type: application/json"));
        assertTrue(page.contains("{&quot;order&quot;:42,&quot;total&quot;:&quot;19.90&quot;}"), "body, escaped");
        assertTrue(page.contains("<dd id=\"response-status\">200</dd>"));
        assertTrue(page.matches("(?s).*<dd id=\"response-duration\">\\d+ ms</dd>.*"), "the attempt's duration is shown");
        assertTrue(!page.contains("Redeliver</button>"), "no redeliver button for a normal member");

        normal.post("/console/accounts/{a}/logs/{l}/redeliver", Map.of(), account, logId).then().statusCode(403);
        Api.as(adminToken).get("/accounts/{a}/logs/{l}", account, logId).then().body("status", equalTo("success"));

        admin.get("/console/accounts/{a}/logs/{l}", account, logId).then().body(containsString("Redeliver</button>"));
        admin.post("/console/accounts/{a}/logs/{l}/redeliver", Map.of(), account, logId).then().statusCode(303)
                .header("Location", containsString("notice=redelivery-scheduled"));
        // the due poller sends it again: a second request, the same log, attempts counted on
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> Api.as(adminToken)
                .get("/accounts/{a}/logs/{l}", account, logId).then().body("status", equalTo("success"))
                .body("attempts", equalTo(2)));
        assertEquals(2, receiver.count());
        admin.get("/console/accounts/{a}/logs/{l}", account, logId).then()
                .body(containsString("<dd id=\"log-attempts\">2</dd>"));
    }
}
