package io.datapusher.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.testing.QueryStrings;

/** How a delivery request is shaped, without any network. */
class WebhookRequestTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final List<String> SECRETS = List.of(SECRET);

    @Test
    void get_appendsTopLevelFields_toTheUrlsOwnQuery_inOrder() throws Exception {
        String json = """
                {"s":"a b&c=d","n":-12.50,"i":7,"e":1E+3,"t":true,"f":false,"z":null,\
                "o":{"k":[1,2.0,"x y"], "q" : {}},"a":[1,"two",null],"u":"\u017c\u00f3\u0142w \ud83d\udc22","empty":""}""";
        WebhookRequest request = WebhookRequest.build(DeliveryMethod.GET, "http://example.com/hook?static=1&x=a%20b",
                Map.of(), SECRETS, "evt-1", bytes(json), 1700000000L);

        assertEquals("/hook?static=1&x=a%20b&s=a%20b%26c%3Dd&n=-12.50&i=7&e=1E%2B3&t=true&f=false&z="
                + "&o=%7B%22k%22%3A%5B1%2C2.0%2C%22x%20y%22%5D%2C%22q%22%3A%7B%7D%7D"
                + "&a=%5B1%2C%22two%22%2Cnull%5D"
                + "&u=%C5%BC%C3%B3%C5%82w%20%F0%9F%90%A2&empty=", request.uri());
        assertEquals(0, request.body().length);

        // decoded by an ordinary query-string decoder, the values are the contract's forms
        Map<String, String> decoded = QueryStrings.decode(request.uri().substring(request.uri().indexOf('?') + 1));
        assertEquals("a b&c=d", decoded.get("s"));
        assertEquals("-12.50", decoded.get("n"));
        assertEquals("1E+3", decoded.get("e"));
        assertEquals("", decoded.get("z"));
        assertEquals("{\"k\":[1,2.0,\"x y\"],\"q\":{}}", decoded.get("o"));
        assertEquals("[1,\"two\",null]", decoded.get("a"));
        assertEquals("\u017c\u00f3\u0142w \ud83d\udc22", decoded.get("u"));
    }

    @Test
    void get_withoutQueryOrPath_addsOne() throws Exception {
        WebhookRequest request = WebhookRequest.build(DeliveryMethod.GET, "https://example.com", Map.of(), SECRETS,
                "e", bytes("{\"a\":1}"), 1L);
        assertEquals("/?a=1", request.uri());
        assertEquals(443, request.port());
        assertTrue(request.ssl());
        assertEquals("example.com", request.host());
    }

    @Test
    void get_ofAnEmptyObject_leavesTheUrlAsItIs() throws Exception {
        WebhookRequest request = WebhookRequest.build(DeliveryMethod.GET, "http://example.com:8080/p?q=1", Map.of(),
                SECRETS, "e", bytes("{}"), 1L);
        assertEquals("/p?q=1", request.uri());
        assertEquals(8080, request.port());
    }

    @Test
    void postAndPut_sendTheBytesAsReceived_asJson() throws Exception {
        byte[] payload = bytes("{ \"b\" : 1.50 ,\n \"a\":\"\u00fc\" }");
        for (DeliveryMethod method : List.of(DeliveryMethod.POST, DeliveryMethod.PUT)) {
            WebhookRequest request = WebhookRequest.build(method, "http://example.com/hook#frag", Map.of(), SECRETS, "e",
                    payload, 1L);
            assertArrayEquals(payload, request.body());
            assertEquals("/hook", request.uri());
            assertEquals("application/json", header(request, "Content-Type"));
        }
    }

    @Test
    void destinationHeaders_goAlong_butCannotReplaceFramingOrSignatureHeaders() throws Exception {
        Map<String, String> configured = new LinkedHashMap<>();
        configured.put("X-Api-Key", "k-123");
        configured.put("Authorization", "Bearer abc");
        configured.put("webhook-signature", "v1,forged");
        configured.put("Content-Length", "1");
        configured.put("Host", "evil.example");
        configured.put("Content-Type", "text/plain");
        WebhookRequest request = WebhookRequest.build(DeliveryMethod.POST, "http://example.com/", configured, SECRETS,
                "e", bytes("{}"), 1L);

        assertEquals("k-123", header(request, "X-Api-Key"));
        assertEquals("Bearer abc", header(request, "Authorization"));
        assertEquals("application/json", header(request, "content-type"));
        assertFalse(request.headers().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("host")));
        assertFalse(request.headers().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("content-length")));
        assertEquals(1, request.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("webhook-signature")).count());
    }

    @Test
    void signature_isVerifiedByTheStandardWebhooksLibrary_forPostAndGet() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String json = "{\"amount\": 12.5, \"note\": \"\u00fcber\"}";
        WebhookRequest post = WebhookRequest.build(DeliveryMethod.POST, "http://example.com/", Map.of(), SECRETS,
                "evt_2", bytes(json), now);
        new Webhook(SECRET).verify(json, headersOf(post));

        WebhookRequest get = WebhookRequest.build(DeliveryMethod.GET, "http://example.com/", Map.of(), SECRETS,
                "evt_2", bytes(json), now);
        new Webhook(SECRET).verify("", headersOf(get));
        assertEquals("evt_2", header(get, "webhook-id"));
        assertEquals(Long.toString(now), header(get, "webhook-timestamp"));
    }

    @Test
    void twoSecrets_signTwice_andEitherVerifies() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String previous = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
        String json = "{\"n\": 1}";
        WebhookRequest request = WebhookRequest.build(DeliveryMethod.POST, "http://example.com/", Map.of(),
                List.of(SECRET, previous), "evt_3", bytes(json), now);

        String[] signatures = header(request, "webhook-signature").split(" ");
        assertEquals(2, signatures.length);
        assertEquals(WebhookSignature.sign(SECRET, "evt_3", now, bytes(json)), signatures[0]);
        assertEquals(WebhookSignature.sign(previous, "evt_3", now, bytes(json)), signatures[1]);
        new Webhook(SECRET).verify(json, headersOf(request));
        new Webhook(previous).verify(json, headersOf(request));
    }

    @Test
    void signature_matchesTheSpecsExample() {
        // The example of the Standard Webhooks specification (and its reference libraries' tests).
        String signature = WebhookSignature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, bytes("{\"test\": 2432232314}"));
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    @Test
    void url_thatIsNotHttpWithAHost_isUnusable() {
        assertThrows(WebhookRequest.UnusableUrl.class, () -> WebhookRequest.build(DeliveryMethod.POST,
                "ftp://example.com/", Map.of(), SECRETS, "e", bytes("{}"), 1L));
        assertThrows(WebhookRequest.UnusableUrl.class, () -> WebhookRequest.build(DeliveryMethod.POST,
                "http:///nohost", Map.of(), SECRETS, "e", bytes("{}"), 1L));
        assertThrows(WebhookRequest.UnusableUrl.class, () -> WebhookRequest.build(DeliveryMethod.POST,
                "not a url", Map.of(), SECRETS, "e", bytes("{}"), 1L));
    }

    private static Map<String, List<String>> headersOf(WebhookRequest request) {
        return request.headers().stream().collect(Collectors.groupingBy(h -> h.getKey().toLowerCase(),
                Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    private static String header(WebhookRequest request, String name) {
        return request.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
