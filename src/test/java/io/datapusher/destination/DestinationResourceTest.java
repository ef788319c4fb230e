package io.datapusher.destination;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.datapusher.testing.Api;
import io.datapusher.testing.Destinations;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DestinationResourceTest {
    private String adminId;
    private String admin;
    private String account;

    @BeforeEach
    void makeAnAdminWithAnAccount() {
        String email = Api.uniqueEmail("dest");
        adminId = Api.signup(email);
        admin = Api.login(email);
        account = Api.createAccount(admin, "Destinations");
    }

    @Test
    void create_answersTheDestinationWithASigningSecretAndAudit() {
        Map<String, Object> body = body("https://hooks.example.invalid/orders?x=1", "PUT",
                Map.of("Authorization", "Bearer abc", "X-Empty", ""));
        String id = Api.as(admin).body(body).post("/accounts/{a}/destinations", account).then().statusCode(201)
                .body("account_id", equalTo(account))
                .body("url", equalTo("https://hooks.example.invalid/orders?x=1"))
                .body("http_method", equalTo("PUT"))
                .body("headers.Authorization", equalTo("Bearer abc"))
                .body("headers.X-Empty", equalTo(""))
                .body("signing_secret", startsWith("whsec_"))
                .body("created_by", equalTo(adminId))
                .body("updated_by", equalTo(adminId))
                .extract().path("id");

        Api.as(admin).get("/accounts/{a}/destinations/{d}", account, id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("http_method", equalTo("PUT"))
                .body("headers.size()", equalTo(2));
    }

    @Test
    void create_signingSecretIsBase64Of24RandomBytes_differentForEachDestination() {
        String first = secretOf(Destinations.create(admin, account, "https://a.example.invalid/"));
        String second = secretOf(Destinations.create(admin, account, "https://b.example.invalid/"));
        assertEquals(24, Base64.getDecoder().decode(first.substring("whsec_".length())).length);
        assertEquals(24, Base64.getDecoder().decode(second.substring("whsec_".length())).length);
        assertNotEquals(first, second);
    }

    @Test
    void rotateSecret_byAdmin_issuesANewOne_andTheOldSignsUntilTheOverlapEnds() {
        String id = Destinations.create(admin, account, "https://rotate.example.invalid/");
        String before = secretOf(id);
        Instant asked = Instant.now();

        String fresh = Api.as(admin).post("/accounts/{a}/destinations/{d}/secret", account, id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("updated_by", equalTo(adminId))
                .extract().path("signing_secret");
        String until = Api.as(admin).get("/accounts/{a}/destinations/{d}", account, id).then().statusCode(200)
                .body("signing_secret", equalTo(fresh))
                .extract().path("previous_secret_expires_at");

        assertNotEquals(before, fresh);
        assertTrue(fresh.startsWith("whsec_"), fresh);
        Duration overlap = Duration.between(asked, Instant.parse(until));
        assertTrue(overlap.compareTo(Duration.ofHours(24).minusMinutes(1)) > 0
                && overlap.compareTo(Duration.ofHours(24).plusMinutes(1)) < 0, "overlap " + overlap);
    }

    @Test
    void rotateSecret_byANormalMember_isForbidden_andChangesNothing() {
        String id = Destinations.create(admin, account, "https://rotate-normal.example.invalid/");
        String before = secretOf(id);
        String normal = Api.uniqueEmail("dest-normal");
        Api.addMember(admin, account, normal, "normal");
        String normalToken = Api.login(normal);

        Api.as(normalToken).post("/accounts/{a}/destinations/{d}/secret", account, id).then().statusCode(403);
        assertEquals(before, secretOf(id));
    }

    @Test
    void create_withEmptyHeaders_isAccepted() {
        Api.as(admin).body(body("http://hooks.example.invalid/", "GET", Map.of()))
                .post("/accounts/{a}/destinations", account).then().statusCode(201)
                .body("headers.size()", equalTo(0)).body("http_method", equalTo("GET"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://93.184.216.34/hook", "https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
            "https://hooks.example.invalid:8443/a/b?c=d#e", "HTTP://HOOKS.EXAMPLE.INVALID/" })
    void create_withPublicAddressesOrNames_isAccepted(String url) {
        Api.as(admin).body(Destinations.body(url)).post("/accounts/{a}/destinations", account).then().statusCode(201)
                .body("url", equalTo(url));
    }

    static Stream<Arguments> badUrls() {
        return Stream.of(
                Arguments.of("not a url"),
                Arguments.of("ftp://example.com/file"),
                Arguments.of("file:///etc/passwd"),
                Arguments.of("/relative/path"),
                Arguments.of("example.com/hook"),
                Arguments.of("https://user:secret@example.com/hook"),
                Arguments.of("http://"),
                Arguments.of(""),
                Arguments.of("https://" + "a".repeat(2040) + ".com/"));
    }

    @ParameterizedTest
    @MethodSource("badUrls")
    void create_withUrlThatIsNotAbsoluteHttp_isInvalidDataOnUrl(String url) {
        invalid(Destinations.body(url), "url");
    }

    @ParameterizedTest
    // The test profile lets 127.0.0.0/8 through for the delivery tests' local servers; loopback
    // literals are refused in LoopbackRefusedTest, which runs with the allow-list empty.
    @ValueSource(strings = { "http://[::1]/hook",
            "http://10.0.0.1/", "http://192.168.1.10/", "http://172.16.0.1/", "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/", "http://0.0.0.0/", "http://[::ffff:10.0.0.1]/", "http://[fe80::1]/",
            "http://[fc00::1]/", "http://224.0.0.1/", "http://167772161/", "http://[::ffff:0:a00:1]/",
            "http://[64:ff9b::a00:1]/", "http://[2002:a00:1::1]/", "http://[2001:db8::1]/", "http://[3fff::1]/",
            "http://198.51.100.7/", "http://255.255.255.255/" })
    void create_withLiteralAddressTheGuardRefuses_isInvalidDataOnUrl(String url) {
        invalid(Destinations.body(url), "url");
    }

    @Test
    void create_withoutUrl_isInvalidDataOnUrl() {
        Map<String, Object> body = Destinations.body("https://x.example.com/");
        body.remove("url");
        invalid(body, "url");
    }

    @ParameterizedTest
    @ValueSource(strings = { "PATCH", "DELETE", "post", "Get", "", "HEAD" })
    void create_withMethodOtherThanGetPostPut_isInvalidDataOnHttpMethod(String method) {
        invalid(body("https://x.example.com/", method, Map.of()), "http_method");
    }

    @Test
    void create_withoutHttpMethod_isInvalidDataOnHttpMethod() {
        Map<String, Object> body = Destinations.body("https://x.example.com/");
        body.remove("http_method");
        invalid(body, "http_method");
    }

    static Stream<Arguments> badHeaders() {
        return Stream.of(
                Arguments.of(Map.of("X Bad", "v")),
                Arguments.of(Map.of("X-Bad:", "v")),
                Arguments.of(Map.of("", "v")),
                Arguments.of(Map.of("Tést", "v")),
                Arguments.of(Map.of("X-Split", "a\r\nInjected: yes")),
                Arguments.of(Map.of("X-Split", "a\nb")),
                Arguments.of(Map.of("X-Split", "a\rb")),
                Arguments.of(Map.of("X-Nul", "a\u0000b")),
                Arguments.of(Map.of("webhook-signature", "v1,forged")),
                Arguments.of(Map.of("Webhook-Id", "x")),
                Arguments.of(Map.of("webhook-timestamp", "1")),
                Arguments.of(Map.of("Host", "internal.example.com")),
                Arguments.of(Map.of("Content-Length", "1")),
                Arguments.of(Map.of("Keep-Alive", "timeout=5")),
                Arguments.of(Map.of("expect", "100-continue")),
                Arguments.of(Map.of("X-Long", "v".repeat(8193))));
    }

    @ParameterizedTest
    @MethodSource("badHeaders")
    void create_withBadHeader_isInvalidDataOnHeaders(Map<String, String> headers) {
        invalid(body("https://x.example.com/", "POST", headers), "headers");
    }

    @Test
    void create_withTooManyHeaders_isInvalidDataOnHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < 51; i++) {
            headers.put("X-H" + i, "v");
        }
        invalid(body("https://x.example.com/", "POST", headers), "headers");
    }

    @Test
    void create_withoutHeaders_orWithNull_isInvalidDataOnHeaders() {
        Map<String, Object> body = Destinations.body("https://x.example.com/");
        body.remove("headers");
        invalid(body, "headers");
        body.put("headers", null);
        invalid(body, "headers");
    }

    @Test
    void create_withHeadersNotAnObject_isInvalidDataOnHeaders() {
        for (Object notAnObject : new Object[] { "X-A: b", java.util.List.of("X-A", "b"), 5, true }) {
            Map<String, Object> body = Destinations.body("https://x.example.com/");
            body.put("headers", notAnObject);
            invalid(body, "headers");
        }
    }

    @Test
    void create_withWrongJsonTypes_isInvalidDataNamingTheField() {
        Map<String, Object> body = Destinations.body("https://x.example.com/");
        body.put("url", 5);
        invalid(body, "url");

        body = Destinations.body("https://x.example.com/");
        body.put("http_method", 1);
        invalid(body, "http_method");

        body = Destinations.body("https://x.example.com/");
        body.put("http_method", java.util.List.of("POST"));
        invalid(body, "http_method");

        body = Destinations.body("https://x.example.com/");
        body.put("headers", Map.of("X-Number", 5));
        Api.as(admin).body(body).post("/accounts/{a}/destinations", account).then().statusCode(400)
                .body("message", equalTo("Invalid Data")).body("errors[0].field", startsWith("headers"));

        body = Destinations.body("https://x.example.com/");
        body.put("headers", Map.of("X-Nested", Map.of("a", "b")));
        Api.as(admin).body(body).post("/accounts/{a}/destinations", account).then().statusCode(400)
                .body("errors[0].field", startsWith("headers"));

        body = Destinations.body("https://x.example.com/");
        body.put("headers", java.util.Collections.singletonMap("X-Null", null));
        invalid(body, "headers");
    }

    @Test
    void create_withSeveralFaults_listsEveryField() {
        Api.as(admin).body(body("ftp://x", "PATCH", Map.of("Bad Name", "v")))
                .post("/accounts/{a}/destinations", account).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("url", "http_method", "headers"));
    }

    @Test
    void create_invalid_savesNothing() {
        invalid(Destinations.body("http://10.0.0.1/"), "url");
        Api.as(admin).get("/accounts/{a}/destinations", account).then().body("total", equalTo(0));
    }

    @Test
    void update_replacesUrlMethodAndHeaders_keepsTheSecret_andRecordsWhoChangedIt() {
        String id = Destinations.create(admin, account, "https://before.example.com/");
        String secret = secretOf(id);
        String normalEmail = Api.uniqueEmail("dest-normal");
        Api.addMember(admin, account, normalEmail, "normal");
        String normal = Api.login(normalEmail);
        String normalId = Api.as(normal).get("/auth/me").then().extract().path("id");

        Api.as(normal).body(body("https://after.example.com/", "GET", Map.of("X-New", "1")))
                .put("/accounts/{a}/destinations/{d}", account, id).then().statusCode(200)
                .body("url", equalTo("https://after.example.com/"))
                .body("http_method", equalTo("GET"))
                .body("headers", equalTo(Map.of("X-New", "1")))
                .body("created_by", equalTo(adminId))
                .body("updated_by", equalTo(normalId));
        assertEquals(secret, secretOf(id));
    }

    @Test
    void update_withInvalidBody_isInvalidData_andChangesNothing() {
        String id = Destinations.create(admin, account, "https://keep.example.com/");
        Api.as(admin).body(Destinations.body("http://[::1]:8080/")).put("/accounts/{a}/destinations/{d}", account, id)
                .then().statusCode(400).body("errors.field", contains("url"));
        Api.as(admin).body(body("https://x.example.com/", "TRACE", Map.of()))
                .put("/accounts/{a}/destinations/{d}", account, id).then().statusCode(400)
                .body("errors.field", contains("http_method"));
        Api.as(admin).get("/accounts/{a}/destinations/{d}", account, id).then()
                .body("url", equalTo("https://keep.example.com/"));
    }

    @Test
    void getUpdateDelete_ofADestinationOfAnotherAccount_isNotFound() {
        String otherAccount = Api.createAccount(admin, "Other");
        String foreign = Destinations.create(admin, otherAccount, "https://foreign.example.com/");

        Api.as(admin).get("/accounts/{a}/destinations/{d}", account, foreign).then().statusCode(404);
        Api.as(admin).body(Destinations.body("https://x.example.com/"))
                .put("/accounts/{a}/destinations/{d}", account, foreign).then().statusCode(404);
        Api.as(admin).delete("/accounts/{a}/destinations/{d}", account, foreign).then().statusCode(404);
        Api.as(admin).get("/accounts/{a}/destinations/{d}", otherAccount, foreign).then().statusCode(200)
                .body("url", equalTo("https://foreign.example.com/"));
    }

    @Test
    void get_unknownId_isNotFound() {
        Api.as(admin).get("/accounts/{a}/destinations/{d}", account, UUID.randomUUID()).then().statusCode(404)
                .body("message", equalTo("Not Found"));
    }

    @Test
    void delete_removesIt_andASecondDeleteIsNotFound() {
        String id = Destinations.create(admin, account, "https://gone.example.com/");
        Api.as(admin).delete("/accounts/{a}/destinations/{d}", account, id).then().statusCode(204);
        Api.as(admin).get("/accounts/{a}/destinations/{d}", account, id).then().statusCode(404);
        Api.as(admin).delete("/accounts/{a}/destinations/{d}", account, id).then().statusCode(404);
    }

    @Test
    void list_searchesTheUrlCaseInsensitively_andFiltersByMethod() {
        String orders = create("https://Shop.example.com/ORDERS", "POST");
        String refunds = create("https://shop.example.com/refunds", "PUT");
        String ping = create("https://status.example.net/ping", "GET");

        Api.as(admin).queryParam("q", "shop.EXAMPLE").get("/accounts/{a}/destinations", account).then()
                .statusCode(200).body("items.id", contains(orders, refunds)).body("total", equalTo(2));
        Api.as(admin).queryParam("q", "orders").get("/accounts/{a}/destinations", account).then()
                .body("items.id", contains(orders));
        Api.as(admin).queryParam("http_method", "GET").get("/accounts/{a}/destinations", account).then()
                .body("items.id", contains(ping));
        Api.as(admin).queryParam("q", "shop").queryParam("http_method", "PUT")
                .get("/accounts/{a}/destinations", account).then().body("items.id", contains(refunds));
        Api.as(admin).queryParam("q", "%").get("/accounts/{a}/destinations", account).then()
                .body("items", hasSize(0));
        Api.as(admin).get("/accounts/{a}/destinations", account).then()
                .body("items.id", contains(orders, refunds, ping)).body("total", equalTo(3));
    }

    @Test
    void list_onlyShowsThisAccountsDestinations() {
        String mine = Destinations.create(admin, account, "https://mine.example.com/");
        String otherAccount = Api.createAccount(admin, "Other list");
        String theirs = Destinations.create(admin, otherAccount, "https://theirs.example.com/");
        Api.as(admin).get("/accounts/{a}/destinations", account).then()
                .body("items.id", contains(mine)).body("items.id", not(hasItem(theirs)));
    }

    @Test
    void list_withUnknownHttpMethod_isInvalidDataOnHttpMethod() {
        for (String method : new String[] { "PATCH", "post", "x" }) {
            Api.as(admin).queryParam("http_method", method).get("/accounts/{a}/destinations", account).then()
                    .statusCode(400).body("message", equalTo("Invalid Data"))
                    .body("errors.field", contains("http_method"));
        }
    }

    @Test
    void list_pagesWithPageAndSize() {
        String[] ids = new String[5];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Destinations.create(admin, account, "https://page.example.com/" + i);
        }
        Api.as(admin).queryParam("size", 2).get("/accounts/{a}/destinations", account).then()
                .body("items.id", contains(ids[0], ids[1])).body("total", equalTo(5)).body("size", equalTo(2));
        Api.as(admin).queryParam("size", 2).queryParam("page", 2).get("/accounts/{a}/destinations", account).then()
                .body("items.id", contains(ids[4])).body("page", equalTo(2));
        Api.as(admin).queryParam("page", "abc").get("/accounts/{a}/destinations", account).then().statusCode(400)
                .body("errors.field", contains("page"));
    }

    private String create(String url, String method) {
        return Api.as(admin).body(body(url, method, Map.of())).post("/accounts/{a}/destinations", account).then()
                .statusCode(201).extract().path("id");
    }

    private String secretOf(String id) {
        return Api.as(admin).get("/accounts/{a}/destinations/{d}", account, id).then().statusCode(200)
                .extract().path("signing_secret");
    }

    private void invalid(Map<String, Object> body, String field) {
        Api.as(admin).body(body).post("/accounts/{a}/destinations", account).then().statusCode(400)
                .body("success", equalTo(false))
                .body("message", equalTo("Invalid Data"))
                .body("errors.field", hasItem(field))
                .body("errors.field", everyItem(equalTo(field)));
    }

    private static Map<String, Object> body(String url, String method, Map<String, ?> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("http_method", method);
        body.put("headers", headers);
        return body;
    }
}
