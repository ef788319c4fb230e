package io.datapusher.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.datapusher.testing.Tenant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * Hostile input through the HTTP layer (issue 12, item 5): malformed, oversized, deeply nested
 * and mis-encoded bodies on every JSON endpoint and on /server/incoming_data, header injection,
 * thousands of request headers, odd ids in paths. Every answer is a 4xx in the contract's shape,
 * never a 5xx, a stack trace, a class name or SQL; and the service still answers afterwards.
 */
@QuarkusTest
class HostileBodyTest {
    private static final byte[] INVALID_UTF8 = { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 'a', (byte) 0xff,
            (byte) 0xc0, (byte) 0x80, 'b', '"', '}' };
    private static final byte[] DEEP_ARRAYS = ("{\"name\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] DEEP_OBJECTS = ("{\"name\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000) + "}")
            .getBytes(StandardCharsets.UTF_8);
    private static final List<byte[]> MALFORMED = List.of(bytes("{"), bytes("{\"name\": }"), bytes("{\"name\" \"x\"}"),
            bytes("nul"), bytes("{\"name\": \"x\",}"), bytes("{'name': 'x'}"), bytes("\u0000"), bytes("{\"name\": NaN}"),
            bytes("{\"name\": \"" + "\\u".repeat(3) + "\"}"), bytes("{\"name\": 1" + "0".repeat(5000) + "}"),
            bytes("[" + "{}".repeat(10) + "]"), INVALID_UTF8, DEEP_ARRAYS, DEEP_OBJECTS);

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private String admin;
    private String account;
    private String destination;

    @BeforeEach
    void anAccountWithADestination() {
        admin = Api.newUserToken("hostile-body");
        account = Api.createAccount(admin, "Hostile");
        destination = io.datapusher.testing.Destinations.create(admin, account, "https://hooks.example.invalid/in");
    }

    @AfterEach
    void theServiceStillAnswers() {
        Api.as(admin).get("/accounts/{a}", account).then().statusCode(200).body("name", equalTo("Hostile"));
    }

    @Test
    void malformedNestedAndMisEncodedBodies_onEveryJsonEndpoint_areInvalidData() {
        for (byte[] body : MALFORMED) {
            String what = new String(body, 0, Math.min(body.length, 30), StandardCharsets.UTF_8);
            invalid(given().contentType("application/json").body(body).post("/auth/signup"), what);
            invalid(given().contentType("application/json").body(body).post("/auth/login"), what);
            invalid(Api.as(admin).body(body).post("/accounts"), what);
            invalid(Api.as(admin).body(body).put("/accounts/{a}", account), what);
            invalid(Api.as(admin).body(body).post("/accounts/{a}/destinations", account), what);
            invalid(Api.as(admin).body(body).put("/accounts/{a}/destinations/{d}", account, destination), what);
            invalid(Api.as(admin).body(body).post("/accounts/{a}/members", account), what);
        }
    }

    @Test
    void malformedNestedAndMisEncodedBodies_atIngest_areInvalidData_evenWithAValidToken() {
        Tenant tenant = Tenant.create();
        for (byte[] body : MALFORMED) {
            String what = new String(body, 0, Math.min(body.length, 30), StandardCharsets.UTF_8);
            invalid(given().header("CL-X-TOKEN", tenant.appToken()).header("CL-X-EVENT-ID", "hostile")
                    .contentType("application/json").body(body).post("/server/incoming_data"), what);
        }
        tenant.send("after-hostile", "{\"ok\":true}").then().statusCode(202);
    }

    @Test
    void bodiesOverTheHttpLimit_onJsonEndpoints_areTooLarge_inTheContractsShape() throws IOException {
        // announced by Content-Length: refused before the body is read
        String reply = raw("POST /accounts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + admin
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (11 * 1024 * 1024)
                + "\r\nConnection: close\r\n\r\n{\"name\": \"");
        assertFourHundredsWithoutInternals(reply);
        assertTrue(reply.startsWith("HTTP/1.1 413 "), reply);
        assertTrue(reply.contains("{\"success\":false,\"message\":\"Payload Too Large\"}"), reply);
        // a length that is no number, or two lengths
        assertFourHundredsWithoutInternals(raw("POST /accounts HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1e9"
                + "\r\nConnection: close\r\n\r\n{}"));
        assertFourHundredsWithoutInternals(raw("POST /accounts HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2"
                + "\r\nContent-Length: 20000000\r\nConnection: close\r\n\r\n{}"));
    }

    @Test
    void crOrLfInDestinationHeaders_isInvalidDataOnHeaders() {
        for (Map<String, String> headers : List.of(Map.of("X-A", "v\r\nX-Injected: 1"), Map.of("X-A", "v\nHost: evil"),
                Map.of("X-A", "v\r"), Map.of("X-A\r\nX-B", "v"), Map.of("X-A", "v\u0000"), Map.of("X-A:", "v"),
                Map.of("", "v"))) {
            Map<String, Object> body = io.datapusher.testing.Destinations.body("https://hooks.example.invalid/in");
            body.put("headers", headers);
            invalid(Api.as(admin).body(body).post("/accounts/{a}/destinations", account), headers.toString())
                    .body("errors.field", org.hamcrest.Matchers.hasItem("headers"));
            invalid(Api.as(admin).body(body).put("/accounts/{a}/destinations/{d}", account, destination),
                    headers.toString());
        }
    }

    @Test
    void controlAndNonAsciiBytesInRequestHeaders_areRefused_neverAnError() throws IOException {
        Tenant tenant = Tenant.create();
        for (String eventId : List.of("a\u0001b", "caf\u00e9", "a\u007fb", "\u00ff\u00fe")) {
            String reply = raw("POST /server/incoming_data HTTP/1.1\r\nHost: localhost\r\nCL-X-TOKEN: " + tenant.appToken()
                    + "\r\nCL-X-EVENT-ID: " + eventId + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\n{}");
            assertFourHundredsWithoutInternals(reply);
        }
        // a header line that tries to start a second request inside the first
        String smuggled = raw("POST /server/incoming_data HTTP/1.1\r\nHost: localhost\r\nCL-X-TOKEN: x\rGET /q/health"
                + " HTTP/1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        assertFourHundredsWithoutInternals(smuggled);
    }

    @Test
    void thousandsOfRequestHeaders_areRefused_neverAnError() throws IOException {
        StringBuilder request = new StringBuilder("GET /accounts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + admin + "\r\n");
        for (int i = 0; i < 5000; i++) {
            request.append("X-Header-").append(i).append(": value-").append(i).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        assertFourHundredsWithoutInternals(raw(request.toString()));

        StringBuilder oneHugeHeader = new StringBuilder("GET /accounts HTTP/1.1\r\nHost: localhost\r\nX-Big: ");
        oneHugeHeader.append("a".repeat(200_000)).append("\r\nConnection: close\r\n\r\n");
        assertFourHundredsWithoutInternals(raw(oneHugeHeader.toString()));
    }

    @Test
    void oddIdsInPaths_areNotFound_inTheContractsShape() throws IOException {
        // ("%2e%2e" is a dot segment: normalised away as RFC 3986 says, it names the parent resource)
        for (String id : List.of("%00", "..%2F..%2Fetc%2Fpasswd", "'%20OR%20'1'%3D'1", "%F0%9F%90%A2",
                "a".repeat(3000), UUID.randomUUID() + "%00", "%FF%FE", "00000000-0000-0000-0000-000000000000",
                "%7Baccount_id%7D", "-1", "9223372036854775808")) {
            for (String path : List.of("/accounts/" + id, "/accounts/" + account + "/destinations/" + id,
                    "/accounts/" + account + "/members/" + id, "/accounts/" + account + "/logs/" + id,
                    "/accounts/" + id + "/destinations")) {
                Response response = Api.as(admin).urlEncodingEnabled(false).get(path);
                safe(response).statusCode(anyOf(is(404), is(400)))
                        .body("success", equalTo(false));
            }
            Response redeliver = Api.as(admin).urlEncodingEnabled(false)
                    .post("/accounts/" + account + "/logs/" + id + "/redeliver");
            safe(redeliver).statusCode(anyOf(is(404), is(400)));
        }
        // beyond the HTTP codec's request-line limit (4 KiB): its own 414, before any routing
        assertFourHundredsWithoutInternals(
                raw("GET /accounts/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    }

    private static ValidatableResponse invalid(Response response, String what) {
        return safe(response).statusCode(400).body("success", equalTo(false)).body("message", equalTo("Invalid Data"));
    }

    private static ValidatableResponse safe(Response response) {
        return response.then().body(not(containsString("Exception"))).body(not(containsString("io.datapusher")))
                .body(not(containsString("com.fasterxml"))).body(not(containsString("SQL")))
                .body(not(containsString("\tat ")));
    }

    /** The status line and body of a request written byte for byte, as no well-behaved client would. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0;) {
                    reply.write(buffer, 0, n);
                }
            } catch (java.net.SocketException e) {
                // the server may reset a connection it refused; what it answered before counts
            }
            return reply.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertFourHundredsWithoutInternals(String reply) {
        assertTrue(reply.matches("(?s)HTTP/1\\.[01] 4\\d\\d .*"),
                reply.isEmpty() ? "no answer" : reply.lines().findFirst().get());
        assertFalse(reply.contains("Exception") || reply.contains("io.datapusher") || reply.contains("SQL"), reply);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
