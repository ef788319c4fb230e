package io.datapusher.delivery;

import static io.datapusher.delivery.LogFixtures.T0;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import io.datapusher.delivery.LogFixtures.Admin;
import io.datapusher.ingest.Event;
import io.datapusher.member.RoleCode;
import io.datapusher.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class DeliveryLogResourceTest {

    @Inject
    DeliveryConfig deliveryConfig;

    // ---- reading -------------------------------------------------------------------------

    @Test
    void list_withoutFilters_answersEveryLogNewestFirst_withAllFields() {
        Admin admin = LogFixtures.adminWithAccount("list");
        UUID destination = LogFixtures.destination(admin);
        UUID older = LogFixtures.successAt(admin, destination, T0);
        Event event = LogFixtures.event(admin.accountId(), "order-7", "{\"order\": 7}", T0.plusSeconds(60));
        UUID newer = LogFixtures.log(event, destination, LogFixtures.failed(8, 503));

        Api.as(admin.token()).get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(newer.toString(), older.toString()))
                .body("next_cursor", nullValue())
                .body("items[0].event_id", equalTo("order-7"))
                .body("items[0].account_id", equalTo(admin.accountId().toString()))
                .body("items[0].destination_id", equalTo(destination.toString()))
                .body("items[0].received_timestamp", equalTo("2026-03-01T12:01:00Z"))
                .body("items[0].processed_timestamp", equalTo("2026-03-01T12:01:01Z"))
                .body("items[0].received_data.order", equalTo(7))
                .body("items[0].status", equalTo("failed"))
                .body("items[0].attempts", equalTo(8))
                .body("items[0].response_status", equalTo(503))
                .body("items[0].error", equalTo("HTTP 503"))
                .body("items[1].status", equalTo("success"))
                .body("items[1].error", nullValue());
    }

    @Test
    void list_ofAccountWithoutLogs_isEmptyWithoutCursor() {
        Admin admin = LogFixtures.adminWithAccount("empty");
        Api.as(admin.token()).get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items", empty())
                .body("next_cursor", nullValue());
    }

    @Test
    void list_pendingLog_hasNullProcessedTimestampAndResponse() {
        Admin admin = LogFixtures.adminWithAccount("pending");
        UUID destination = LogFixtures.destination(admin);
        Event event = LogFixtures.event(admin.accountId(), "p-1", "{}", T0);
        LogFixtures.log(event, destination, LogFixtures::pending);

        Api.as(admin.token()).get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items[0].status", equalTo("pending"))
                .body("items[0].attempts", equalTo(0))
                .body("items[0]", hasKey("processed_timestamp"))
                .body("items[0].processed_timestamp", nullValue())
                .body("items[0].response_status", nullValue());
    }

    @Test
    void list_sameReceivedTime_isOrderedByIdDescending() {
        Admin admin = LogFixtures.adminWithAccount("ties");
        List<UUID> destinations = List.of(LogFixtures.destination(admin), LogFixtures.destination(admin),
                LogFixtures.destination(admin), LogFixtures.destination(admin));
        Event event = LogFixtures.event(admin.accountId(), "fan-out", "{}", T0);
        List<String> ids = new ArrayList<>();
        for (UUID destination : destinations) {
            ids.add(LogFixtures.log(event, destination).toString());
        }
        // PostgreSQL orders uuids byte by byte, which is the order of their lower-case hex text.
        ids.sort(Comparator.reverseOrder());

        Api.as(admin.token()).get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(ids.toArray()));
    }

    @Test
    void list_byDestination_answersOnlyThatDestination() {
        Admin admin = LogFixtures.adminWithAccount("bydest");
        UUID first = LogFixtures.destination(admin);
        UUID second = LogFixtures.destination(admin);
        UUID a = LogFixtures.successAt(admin, first, T0);
        LogFixtures.successAt(admin, second, T0.plusSeconds(1));
        UUID c = LogFixtures.successAt(admin, first, T0.plusSeconds(2));

        Api.as(admin.token()).queryParam("destination_id", first)
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(c.toString(), a.toString()));
    }

    @Test
    void list_byDestinationOfAnotherAccount_isEmpty() {
        Admin admin = LogFixtures.adminWithAccount("foreign-dest");
        LogFixtures.successAt(admin, LogFixtures.destination(admin), T0);
        Admin other = LogFixtures.adminWithAccount("other");
        UUID foreign = LogFixtures.destination(other);
        LogFixtures.successAt(other, foreign, T0);

        Api.as(admin.token()).queryParam("destination_id", foreign)
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items", empty());
    }

    @Test
    void list_byStatus_answersOnlyThatStatus() {
        Admin admin = LogFixtures.adminWithAccount("bystatus");
        UUID destination = LogFixtures.destination(admin);
        UUID success = LogFixtures.successAt(admin, destination, T0);
        UUID failed = LogFixtures.log(LogFixtures.event(admin.accountId(), "f", "{}", T0.plusSeconds(1)), destination,
                LogFixtures.failed(8, 500));
        UUID pending = LogFixtures.log(LogFixtures.event(admin.accountId(), "p", "{}", T0.plusSeconds(2)), destination,
                LogFixtures::pending);

        Map<String, UUID> expected = Map.of("success", success, "failed", failed, "pending", pending);
        expected.forEach((status, id) -> Api.as(admin.token()).queryParam("status", status)
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(id.toString()))
                .body("items[0].status", equalTo(status)));
    }

    @Test
    void list_byEventId_answersTheLogsOfThatEventOnly_matchedExactly() {
        Admin admin = LogFixtures.adminWithAccount("byevent");
        UUID first = LogFixtures.destination(admin);
        UUID second = LogFixtures.destination(admin);
        Event event = LogFixtures.event(admin.accountId(), "Order 42/x?y", "{}", T0);
        UUID one = LogFixtures.log(event, first);
        UUID two = LogFixtures.log(event, second);
        LogFixtures.log(LogFixtures.event(admin.accountId(), "order 42/x?y", "{}", T0), first);
        LogFixtures.log(LogFixtures.event(admin.accountId(), "Order 42", "{}", T0), first);

        Api.as(admin.token()).queryParam("event_id", "Order 42/x?y")
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", containsInAnyOrder(one.toString(), two.toString()));
    }

    @Test
    void list_byReceivedRange_includesFromAndExcludesTo() {
        Admin admin = LogFixtures.adminWithAccount("received");
        UUID destination = LogFixtures.destination(admin);
        LogFixtures.successAt(admin, destination, T0.minusMillis(1));
        UUID atFrom = LogFixtures.successAt(admin, destination, T0);
        UUID inside = LogFixtures.successAt(admin, destination, T0.plusSeconds(30));
        LogFixtures.successAt(admin, destination, T0.plusSeconds(60));

        Api.as(admin.token())
                .queryParam("received_from", "2026-03-01T12:00:00Z")
                .queryParam("received_to", "2026-03-01T13:01:00+01:00")
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(inside.toString(), atFrom.toString()));
    }

    @Test
    void list_byReceivedFromOnly_isOpenEnded() {
        Admin admin = LogFixtures.adminWithAccount("from-only");
        UUID destination = LogFixtures.destination(admin);
        LogFixtures.successAt(admin, destination, T0);
        UUID later = LogFixtures.successAt(admin, destination, T0.plus(Duration.ofDays(400)));

        Api.as(admin.token()).queryParam("received_from", "2026-03-01T12:00:00.000001Z")
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(later.toString()));
    }

    @Test
    void list_byProcessedRange_filtersOnLastAttemptEnd_andLeavesOutPending() {
        Admin admin = LogFixtures.adminWithAccount("processed");
        UUID destination = LogFixtures.destination(admin);
        // received in one order, processed in another: the filter is on processed, the order on received
        UUID early = LogFixtures.log(LogFixtures.event(admin.accountId(), "a", "{}", T0), destination,
                log -> log.processedAt = T0.plus(Duration.ofHours(2)));
        UUID late = LogFixtures.log(LogFixtures.event(admin.accountId(), "b", "{}", T0.plusSeconds(10)), destination,
                log -> log.processedAt = T0.plus(Duration.ofHours(1)));
        LogFixtures.log(LogFixtures.event(admin.accountId(), "c", "{}", T0.plusSeconds(20)), destination,
                log -> log.processedAt = T0.plus(Duration.ofHours(3)));
        LogFixtures.log(LogFixtures.event(admin.accountId(), "d", "{}", T0.plusSeconds(30)), destination,
                LogFixtures::pending);

        Api.as(admin.token())
                .queryParam("processed_from", "2026-03-01T13:00:00Z")
                .queryParam("processed_to", "2026-03-01T15:00:00Z")
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(late.toString(), early.toString()));
        Api.as(admin.token()).queryParam("processed_to", "2099-01-01T00:00:00Z")
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.status", not(hasItem("pending")))
                .body("items.size()", equalTo(3));
    }

    @Test
    void list_byProcessedTo_findsALogStampedBeforeItsReceiptByAnotherReplicasClock() {
        Admin admin = LogFixtures.adminWithAccount("skew");
        UUID destination = LogFixtures.destination(admin);
        // the delivering replica's clock is 5 s behind the receiving one's
        UUID skewed = LogFixtures.log(LogFixtures.event(admin.accountId(), "s", "{}", T0.plusSeconds(10)), destination,
                log -> log.processedAt = T0.plusSeconds(5));

        Api.as(admin.token()).queryParam("processed_to", "2026-03-01T12:00:06Z")
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(skewed.toString()));
    }

    @Test
    void list_byProcessedToAtTheEndOfTime_isNoError() {
        Admin admin = LogFixtures.adminWithAccount("far");
        UUID logId = LogFixtures.successAt(admin, LogFixtures.destination(admin), T0);

        Api.as(admin.token()).queryParam("processed_to", "9999-12-31T23:59:59.999999Z")
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(logId.toString()));
    }

    @Test
    void list_filtersCombine_withAnd() {
        Admin admin = LogFixtures.adminWithAccount("combo");
        UUID first = LogFixtures.destination(admin);
        UUID second = LogFixtures.destination(admin);
        UUID match = LogFixtures.log(LogFixtures.event(admin.accountId(), "x1", "{}", T0.plusSeconds(5)), first,
                LogFixtures.failed(8, 500));
        LogFixtures.log(LogFixtures.event(admin.accountId(), "x2", "{}", T0.plusSeconds(6)), second,
                LogFixtures.failed(8, 500)); // other destination
        LogFixtures.log(LogFixtures.event(admin.accountId(), "x3", "{}", T0.plusSeconds(7)), first); // success
        LogFixtures.log(LogFixtures.event(admin.accountId(), "x4", "{}", T0.minusSeconds(5)), first,
                LogFixtures.failed(8, 500)); // received too early

        Api.as(admin.token())
                .queryParam("destination_id", first)
                .queryParam("status", "failed")
                .queryParam("received_from", "2026-03-01T12:00:00Z")
                .queryParam("processed_from", "2026-03-01T12:00:00Z")
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(match.toString()));
        Api.as(admin.token())
                .queryParam("event_id", "x2")
                .queryParam("destination_id", first)
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items", empty());
    }

    @Test
    void list_receivedData_isTheSameJsonObjectThatWasReceived() throws Exception {
        Admin admin = LogFixtures.adminWithAccount("data");
        UUID destination = LogFixtures.destination(admin);
        String json = """
                {"order": {"id": 1042, "lines": [{"sku": "A-1", "qty": 2}, {"sku": "B-7", "qty": 1}]},
                 "total": 19.90, "huge": 123456789012345678901234567890, "precise": 0.1000000000000000055511151231257827,
                 "paid": true, "coupon": null, "note": "caf\\u00e9 \\"quoted\\" \\ud83d\\ude80", "tags": []}""";
        Event event = LogFixtures.event(admin.accountId(), "json-1", json, T0);
        UUID logId = LogFixtures.log(event, destination);
        ObjectMapper exact = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        JsonNode sent = exact.readTree(json);

        String listBody = Api.as(admin.token()).get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .extract().asString();
        String oneBody = Api.as(admin.token()).get("/accounts/{id}/logs/{log}", admin.accountId(), logId).then()
                .statusCode(200).extract().asString();

        JsonNode listed = exact.readTree(listBody).get("items").get(0).get("received_data");
        JsonNode single = exact.readTree(oneBody).get("received_data");
        assertTrue(listed.isObject(), "received_data must be a JSON object, not a string");
        assertEquals(sent, listed);
        assertEquals(sent, single);
        assertEquals("19.90", listed.get("total").toString());
        assertEquals("café \"quoted\" \uD83D\uDE80", listed.get("note").asText());
    }

    @Test
    void receivedData_isTheBytesAsReceived_duplicateKeysAndNumberSpellingIncluded() {
        Admin admin = LogFixtures.adminWithAccount("raw");
        UUID destination = LogFixtures.destination(admin);
        String json = "{\"a\":1,\"a\":2,  \"small\": -1.5e-3, \"big\": 1E+400,\n \"zero\": 0.000}";
        UUID logId = LogFixtures.log(LogFixtures.event(admin.accountId(), "raw-1", json, T0), destination);

        String body = Api.as(admin.token()).get("/accounts/{id}/logs/{log}", admin.accountId(), logId).then()
                .statusCode(200).extract().asString();

        assertTrue(body.contains("\"received_data\":" + json + ","), body);
    }

    @Test
    void get_oneLog_answersIt() {
        Admin admin = LogFixtures.adminWithAccount("one");
        UUID destination = LogFixtures.destination(admin);
        UUID logId = LogFixtures.successAt(admin, destination, T0);

        Api.as(admin.token()).get("/accounts/{id}/logs/{log}", admin.accountId(), logId).then().statusCode(200)
                .body("id", equalTo(logId.toString()))
                .body("destination_id", equalTo(destination.toString()))
                .body("status", equalTo("success"))
                .body("received_data.n", equalTo(1));
    }

    @Test
    void get_unknownOrMalformedLogId_isNotFound() {
        Admin admin = LogFixtures.adminWithAccount("unknown");
        Api.as(admin.token()).get("/accounts/{id}/logs/{log}", admin.accountId(), UUID.randomUUID()).then()
                .statusCode(404).body("message", equalTo("Not Found"));
        Api.as(admin.token()).get("/accounts/{id}/logs/{log}", admin.accountId(), "not-a-uuid").then()
                .statusCode(404).body("message", equalTo("Not Found"));
    }

    // ---- paging --------------------------------------------------------------------------

    @Test
    void cursorPaging_acrossThreePages_hasNoDuplicatesAndNoGaps() {
        Admin admin = LogFixtures.adminWithAccount("pages");
        UUID destination = LogFixtures.destination(admin);
        UUID second = LogFixtures.destination(admin);
        List<UUID> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(LogFixtures.successAt(admin, destination, T0.plusSeconds(i)));
        }
        // three logs with the same received time, so a page boundary falls between equal timestamps
        Event burst = LogFixtures.event(admin.accountId(), "burst", "{}", T0.plusSeconds(2));
        all.add(LogFixtures.log(burst, second));
        all.add(LogFixtures.log(burst, LogFixtures.destination(admin)));

        List<String> seen = new ArrayList<>();
        JsonPath page1 = page(admin, 3, null);
        JsonPath page2 = page(admin, 3, page1.getString("next_cursor"));
        JsonPath page3 = page(admin, 3, page2.getString("next_cursor"));
        for (JsonPath page : List.of(page1, page2, page3)) {
            seen.addAll(page.getList("items.id"));
        }

        assertEquals(3, page1.getList("items").size());
        assertEquals(3, page2.getList("items").size());
        assertEquals(1, page3.getList("items").size());
        assertNull(page3.getString("next_cursor"));
        assertEquals(7, new HashSet<>(seen).size(), "no duplicates");
        assertEquals(all.stream().map(UUID::toString).collect(Collectors.toSet()), new HashSet<>(seen));
        JsonPath everything = page(admin, 200, null);
        assertEquals(everything.getList("items.id"), seen, "the pages together are the one-page list, in order");
    }

    @Test
    void cursorPaging_withAFilter_keepsTheFilterOnEveryPage() {
        Admin admin = LogFixtures.adminWithAccount("filtered-pages");
        UUID destination = LogFixtures.destination(admin);
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Event event = LogFixtures.event(admin.accountId(), "e" + i, "{}", T0.plusSeconds(i));
            if (i % 2 == 0) {
                failed.add(0, LogFixtures.log(event, destination, LogFixtures.failed(8, 500)).toString());
            } else {
                LogFixtures.log(event, destination);
            }
        }
        JsonPath first = Api.as(admin.token()).queryParam("status", "failed").queryParam("limit", 2)
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200).extract().jsonPath();
        JsonPath second = Api.as(admin.token()).queryParam("status", "failed").queryParam("limit", 2)
                .queryParam("cursor", first.getString("next_cursor"))
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200).extract().jsonPath();

        List<String> seen = new ArrayList<>(first.getList("items.id"));
        seen.addAll(second.getList("items.id"));
        assertEquals(failed, seen);
        assertNull(second.getString("next_cursor"));
    }

    @Test
    void cursorPaging_logsReceivedAfterTheFirstPage_doNotShiftLaterPages() {
        Admin admin = LogFixtures.adminWithAccount("stable");
        UUID destination = LogFixtures.destination(admin);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            expected.add(0, LogFixtures.successAt(admin, destination, T0.plusSeconds(i)).toString());
        }
        JsonPath first = page(admin, 2, null);
        LogFixtures.successAt(admin, destination, T0.plusSeconds(100)); // newer than everything
        JsonPath second = page(admin, 2, first.getString("next_cursor"));

        assertEquals(expected.subList(0, 2), first.getList("items.id"));
        assertEquals(expected.subList(2, 4), second.getList("items.id"));
    }

    @Test
    void list_limit_defaultsTo50_andIsHonoured() {
        Admin admin = LogFixtures.adminWithAccount("limit");
        UUID destination = LogFixtures.destination(admin);
        for (int i = 0; i < 52; i++) {
            LogFixtures.successAt(admin, destination, T0.plusSeconds(i));
        }
        JsonPath defaults = page(admin, null, null);
        assertEquals(50, defaults.getList("items").size());
        assertFalse(defaults.getString("next_cursor").isBlank());
        assertEquals(2, page(admin, 50, defaults.getString("next_cursor")).getList("items").size());

        JsonPath exact = page(admin, 52, null);
        assertEquals(52, exact.getList("items").size());
        assertNull(exact.getString("next_cursor"), "a page that ends exactly at the last log has no next cursor");
    }

    // ---- bad parameters ------------------------------------------------------------------

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "status, done",
            "status, PENDING",
            "destination_id, not-a-uuid",
            "event_id, TOO_LONG",
            "received_from, yesterday",
            "received_from, 2026-03-01T12:00:00",
            "received_to, 2026-03-01",
            "processed_from, 2026-13-01T00:00:00Z",
            "processed_to, +10000-01-01T00:00:00Z",
            "limit, 0",
            "limit, 201",
            "limit, -1",
            "limit, ten",
            "cursor, not a cursor!",
            "cursor, AAAA",
            "cursor, FORGED_VERSION",
            "cursor, FORGED_TIME",
    })
    void list_withBadParameter_isInvalidData_namingTheField(String field, String value) {
        Admin admin = LogFixtures.adminWithAccount("bad");
        Api.as(admin.token()).queryParam(field, badValue(value))
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(400)
                .body("success", equalTo(false))
                .body("message", equalTo("Invalid Data"))
                .body("errors[0].field", equalTo(field));
    }

    @Test
    void list_withRangeFromAfterTo_isInvalidData() {
        Admin admin = LogFixtures.adminWithAccount("reversed");
        Api.as(admin.token())
                .queryParam("received_from", "2026-03-02T00:00:00Z")
                .queryParam("received_to", "2026-03-01T00:00:00Z")
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(400)
                .body("errors[0].field", equalTo("received_from"));
        Api.as(admin.token())
                .queryParam("processed_from", "2026-03-02T00:00:00Z")
                .queryParam("processed_to", "2026-03-01T00:00:00Z")
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(400)
                .body("errors[0].field", equalTo("processed_from"));
    }

    @Test
    void list_withEmptyParameters_appliesNoFilter() {
        Admin admin = LogFixtures.adminWithAccount("blank");
        UUID logId = LogFixtures.successAt(admin, LogFixtures.destination(admin), T0);
        Api.as(admin.token()).queryParam("status", "").queryParam("destination_id", "").queryParam("cursor", "")
                .queryParam("limit", "").queryParam("received_from", "")
                .get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(logId.toString()));
    }

    // ---- who may do what -----------------------------------------------------------------

    @Test
    void list_withoutToken_isUnauthenticated() {
        Admin admin = LogFixtures.adminWithAccount("anon");
        given().get("/accounts/{id}/logs", admin.accountId()).then().statusCode(401)
                .body("message", equalTo("Unauthenticated"));
    }

    @Test
    void nonMember_getsNotFound_forListOneAndRedeliver_evenWithBadParameters() {
        Admin admin = LogFixtures.adminWithAccount("owner");
        UUID logId = LogFixtures.successAt(admin, LogFixtures.destination(admin), T0);
        String stranger = Api.newUserToken("stranger");

        Api.as(stranger).get("/accounts/{id}/logs", admin.accountId()).then().statusCode(404)
                .body("message", equalTo("Not Found"));
        Api.as(stranger).queryParam("status", "nonsense").get("/accounts/{id}/logs", admin.accountId()).then()
                .statusCode(404);
        Api.as(stranger).get("/accounts/{id}/logs/{log}", admin.accountId(), logId).then().statusCode(404);
        Api.as(stranger).post("/accounts/{id}/logs/{log}/redeliver", admin.accountId(), logId).then().statusCode(404);
        assertEquals(DeliveryStatus.SUCCESS, LogFixtures.reload(logId).status);
    }

    @Test
    void normalMember_canRead_butRedeliverIsForbidden() {
        Admin admin = LogFixtures.adminWithAccount("team");
        UUID logId = LogFixtures.log(LogFixtures.event(admin.accountId(), "n-1", "{}", T0),
                LogFixtures.destination(admin), LogFixtures.failed(8, 500));
        String normal = LogFixtures.member(admin.accountId(), admin.userId(), RoleCode.NORMAL);

        Api.as(normal).get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items.id", contains(logId.toString()));
        Api.as(normal).get("/accounts/{id}/logs/{log}", admin.accountId(), logId).then().statusCode(200);
        Api.as(normal).post("/accounts/{id}/logs/{log}/redeliver", admin.accountId(), logId).then().statusCode(403)
                .body("message", equalTo("Forbidden"));
        assertEquals(DeliveryStatus.FAILED, LogFixtures.reload(logId).status);
    }

    @Test
    void logOfAnotherAccount_isNotFound_evenForAnAdminOfBoth() {
        Admin admin = LogFixtures.adminWithAccount("two");
        UUID otherAccount = UUID.fromString(Api.createAccount(admin.token(), "second"));
        Admin asOther = new Admin(admin.userId(), admin.token(), otherAccount);
        UUID foreignLog = LogFixtures.log(LogFixtures.event(otherAccount, "o-1", "{}", T0),
                LogFixtures.destination(asOther), LogFixtures.failed(8, 500));

        Api.as(admin.token()).get("/accounts/{id}/logs/{log}", admin.accountId(), foreignLog).then().statusCode(404);
        Api.as(admin.token()).post("/accounts/{id}/logs/{log}/redeliver", admin.accountId(), foreignLog).then()
                .statusCode(404);
        Api.as(admin.token()).get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200)
                .body("items", empty());
        Api.as(admin.token()).get("/accounts/{id}/logs/{log}", otherAccount, foreignLog).then().statusCode(200);
        assertEquals(DeliveryStatus.FAILED, LogFixtures.reload(foreignLog).status);
    }

    // ---- redelivery ----------------------------------------------------------------------

    @Test
    void redeliver_failedLog_byAdmin_putsItBackToPending_withAttemptsCountedOn() {
        Admin admin = LogFixtures.adminWithAccount("redeliver");
        UUID logId = LogFixtures.log(LogFixtures.event(admin.accountId(), "r-1", "{}", T0),
                LogFixtures.destination(admin), LogFixtures.failed(8, 503));
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);

        Api.as(admin.token()).post("/accounts/{id}/logs/{log}/redeliver", admin.accountId(), logId).then()
                .statusCode(202)
                .body("success", equalTo(true))
                .body("message", equalTo("Redelivery scheduled"))
                .body("log_id", equalTo(logId.toString()));

        DeliveryLog log = LogFixtures.reload(logId);
        assertEquals(DeliveryStatus.PENDING, log.status);
        assertEquals(8, log.attempts, "attempts are counted on, not reset");
        assertEquals(8 + deliveryConfig.maxAttempts(), log.attemptLimit);
        assertNull(log.leaseUntil);
        assertNull(log.processedAt);
        assertTrue(!log.nextAttemptAt.isBefore(before) && !log.nextAttemptAt.isAfter(Instant.now()),
                "due at once, was " + log.nextAttemptAt);
        Api.as(admin.token()).get("/accounts/{id}/logs/{log}", admin.accountId(), logId).then().statusCode(200)
                .body("status", equalTo("pending"))
                .body("processed_timestamp", nullValue())
                .body("attempts", equalTo(8));
    }

    @Test
    void redeliver_successfulLog_isScheduledToo() {
        Admin admin = LogFixtures.adminWithAccount("again");
        UUID logId = LogFixtures.successAt(admin, LogFixtures.destination(admin), T0);

        Api.as(admin.token()).post("/accounts/{id}/logs/{log}/redeliver", admin.accountId(), logId).then()
                .statusCode(202);

        DeliveryLog log = LogFixtures.reload(logId);
        assertEquals(DeliveryStatus.PENDING, log.status);
        assertEquals(1 + deliveryConfig.maxAttempts(), log.attemptLimit);
    }

    @Test
    void redeliver_logBeingSentRightNow_isConflict_andLeavesItAlone() {
        Admin admin = LogFixtures.adminWithAccount("inflight");
        Instant lease = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        UUID logId = LogFixtures.log(LogFixtures.event(admin.accountId(), "busy", "{}", T0),
                LogFixtures.destination(admin), log -> {
                    LogFixtures.pending(log);
                    log.attempts = 2;
                    log.leaseUntil = lease;
                });

        Api.as(admin.token()).post("/accounts/{id}/logs/{log}/redeliver", admin.accountId(), logId).then()
                .statusCode(409)
                .body("message", equalTo("Conflict"))
                .body("errors[0].field", equalTo("log_id"));

        DeliveryLog log = LogFixtures.reload(logId);
        assertEquals(lease, log.leaseUntil);
        assertEquals(8, log.attemptLimit);
    }

    @Test
    void redeliver_pendingLogWaitingForRetry_isDueAtOnce() {
        Admin admin = LogFixtures.adminWithAccount("waiting");
        UUID logId = LogFixtures.log(LogFixtures.event(admin.accountId(), "wait", "{}", T0),
                LogFixtures.destination(admin), log -> {
                    LogFixtures.pending(log);
                    log.attempts = 3;
                    log.nextAttemptAt = Instant.now().plus(Duration.ofHours(1));
                    log.leaseUntil = Instant.now().minusSeconds(5); // an expired lease is no longer in flight
                });

        Api.as(admin.token()).post("/accounts/{id}/logs/{log}/redeliver", admin.accountId(), logId).then()
                .statusCode(202);

        DeliveryLog log = LogFixtures.reload(logId);
        assertTrue(!log.nextAttemptAt.isAfter(Instant.now()), "due now, was " + log.nextAttemptAt);
        // The expired lease is gone; being due now, the running poller may already hold a new one.
        assertTrue(log.leaseUntil == null || log.claimToken != null,
                "lease " + log.leaseUntil + " without a claim of its own");
        assertEquals(3 + deliveryConfig.maxAttempts(), log.attemptLimit);
    }

    @Test
    void redeliver_unknownLog_isNotFound() {
        Admin admin = LogFixtures.adminWithAccount("nolog");
        Api.as(admin.token()).post("/accounts/{id}/logs/{log}/redeliver", admin.accountId(), UUID.randomUUID()).then()
                .statusCode(404);
    }

    @Test
    void openApi_describesTheLogEndpoints() {
        String doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        JsonPath openapi = JsonPath.from(doc);
        Map<String, Object> list = openapi.getMap("paths.'/accounts/{account_id}/logs'.get");
        assertTrue(openapi.getList("paths.'/accounts/{account_id}/logs'.get.parameters.name")
                .containsAll(List.of("destination_id", "status", "event_id", "received_from", "received_to",
                        "processed_from", "processed_to", "limit", "cursor")),
                "every filter is documented");
        assertTrue(((Map<?, ?>) list.get("responses")).keySet().containsAll(List.of("200", "400", "401", "404")));
        Map<String, Object> redeliver = openapi.getMap("paths.'/accounts/{account_id}/logs/{log_id}/redeliver'.post");
        assertTrue(((Map<?, ?>) redeliver.get("responses")).keySet()
                .containsAll(List.of("202", "401", "403", "404", "409")));
        Map<String, Object> properties = openapi.getMap("components.schemas.DeliveryLog.properties");
        assertEquals(List.of("id", "event_id", "account_id", "destination_id", "received_timestamp",
                "processed_timestamp", "received_data", "status", "attempts", "response_status", "error",
                // beyond the contract's fields: what the last answer said, and how long it took
                "response_body", "duration_ms", "waiting_for"),
                List.copyOf(properties.keySet()), "the item's fields, in snake_case as the JSON has them");
        assertEquals("object", openapi.getString("components.schemas.DeliveryLog.properties.received_data.type"));
        assertTrue(openapi.getMap("components.schemas.DeliveryLogPage.properties").containsKey("next_cursor"));
    }

    // ---- helpers -------------------------------------------------------------------------

    private static JsonPath page(Admin admin, Integer limit, String cursor) {
        var request = Api.as(admin.token());
        if (limit != null) {
            request.queryParam("limit", limit);
        }
        if (cursor != null) {
            request.queryParam("cursor", cursor);
        }
        return request.get("/accounts/{id}/logs", admin.accountId()).then().statusCode(200).extract().jsonPath();
    }

    private static String badValue(String value) {
        return switch (value) {
            case "TOO_LONG" -> "e".repeat(256);
            // right length, wrong version byte
            case "FORGED_VERSION" -> cursor((byte) 2, 0);
            // right shape, a time PostgreSQL cannot store
            case "FORGED_TIME" -> cursor((byte) 1, Long.MAX_VALUE);
            default -> value;
        };
    }

    private static String cursor(byte version, long micros) {
        ByteBuffer bytes = ByteBuffer.allocate(25).put(version).putLong(micros).putLong(1).putLong(2);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
