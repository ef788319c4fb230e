package io.datapusher.destination;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import io.datapusher.common.validation.WebUrlValidator;
import io.vertx.core.http.impl.HttpUtils;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The validation of a destination's body (Bean Validation, as the API runs it) for any URL and
 * headers: what it accepts, a delivery can send as it is; what could split a header or smuggle
 * a request it refuses.
 */
class DestinationRequestPropertiesTest {
    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
    private static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final List<String> RESERVED = List.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "proxy-connection", "expect", "webhook-id", "webhook-timestamp",
            "webhook-signature");

    @Property(tries = 500)
    void validHeaders_areAccepted_andTheHttpClientTakesEveryOne(@ForAll("headerMaps") Map<String, String> headers) {
        assertEquals(Set.of(), violations("https://hooks.example.com/in", headers));
        headers.forEach((name, value) -> assertDoesNotThrow(() -> HttpUtils.validateHeader(name, value), name));
    }

    @Property
    void aValueWithCrLfOrAnotherControlCharacter_isRefused(@ForAll("headerNames") String name,
            @ForAll("headerValues") String value, @ForAll("controls") char control,
            @ForAll @IntRange(min = 0, max = 8191) int at) {
        int position = Math.min(at, value.length());
        String injected = value.substring(0, position) + control + value.substring(position);
        Assume.that(injected.length() <= 8192);
        assertEquals(Set.of("headers"), violations("https://hooks.example.com/in", Map.of(name, injected)));
    }

    @Property
    void aNameWithAnyCharacterOutsideTheTokenSet_isRefused(@ForAll("headerNames") String name, @ForAll char intruder,
            @ForAll @IntRange(min = 0, max = 255) int at) {
        Assume.that(TCHARS.indexOf(intruder) < 0);
        int position = Math.min(at, name.length());
        String spoiled = name.substring(0, position) + intruder + name.substring(position);
        assertEquals(Set.of("headers"), violations("https://hooks.example.com/in", Map.of(spoiled, "v")));
    }

    @Property
    void reservedNames_inAnyLetterCase_areRefused(@ForAll("reservedNames") String name) {
        assertEquals(Set.of("headers"), violations("https://hooks.example.com/in", Map.of(name, "v")));
    }

    @Property(tries = 300)
    void validUrls_areAccepted_andADeliveryCanBeBuiltFromThem(@ForAll("urls") String url) throws Exception {
        assertEquals(Set.of(), violations(url, Map.of()));
        io.datapusher.delivery.WebhookRequest request = io.datapusher.delivery.WebhookRequest.build(DeliveryMethod.POST,
                url, Map.of(), List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "e", "{}".getBytes(), 1L);
        assertEquals(URI.create(url).getHost(), request.host());
    }

    /** Any text at all: the validator answers, never throws (which would be a 500). */
    @Property(tries = 2000)
    void anyText_isJudgedWithoutAnException(@ForAll("schemes") String scheme, @ForAll String rest) {
        assertDoesNotThrow(() -> WebUrlValidator.isWebUrl(rest));
        assertDoesNotThrow(() -> WebUrlValidator.isWebUrl(scheme + rest));
    }

    /** URL-like text of every character a URL may hold: what the validator accepts, a delivery can be built for. */
    @Property(tries = 2000, maxDiscardRatio = 20)
    void anyUrlTheValidatorAccepts_canBeDeliveredTo(@ForAll("schemes") String scheme, @ForAll("urlText") String rest) {
        String url = scheme + rest;
        Assume.that(WebUrlValidator.isWebUrl(url));
        assertDoesNotThrow(() -> io.datapusher.delivery.WebhookRequest.build(DeliveryMethod.GET, url, Map.of(),
                List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "e", "{}".getBytes(), 1L));
    }

    @Property
    void urlsWithUserInfoSpacesOrControls_areRefused(@ForAll("urls") String url, @ForAll("controls") char control) {
        String withUser = url.replaceFirst("://", "://user:pw@");
        String withControl = url + control;
        String withSpace = url.replaceFirst("://", "://a b.");
        for (String refused : List.of(withUser, withControl, withSpace)) {
            assertFalse(WebUrlValidator.isWebUrl(refused), refused);
        }
    }

    /**
     * Saving checks a literal host, delivering checks the address it connects to: for literal
     * addresses both decide alike.
     */
    @Property(tries = 500)
    void literalHosts_areJudgedAlikeWhenSavedAndWhenDelivered(@ForAll("literalHosts") String host) throws Exception {
        OutboundGuard guard = new OutboundGuard(Optional.empty());
        String url = "http://" + host + ":8080/in";
        assertTrue(WebUrlValidator.isWebUrl(url), url);
        String parsedHost = URI.create(url).getHost();
        boolean saved = guard.refusalOfHost(parsedHost).isEmpty();
        boolean delivered;
        try {
            delivered = !guard.resolve(parsedHost).isEmpty();
        } catch (OutboundGuard.RefusedAddress e) {
            delivered = false;
        }
        assertEquals(saved, delivered, host);
    }

    @Provide
    Arbitrary<String> headerNames() {
        return Arbitraries.strings().withChars(TCHARS.toCharArray()).ofMinLength(1).ofMaxLength(40)
                .filter(n -> !RESERVED.contains(n.toLowerCase(Locale.ROOT)));
    }

    /** Visible ASCII, space, tab and anything above it but DEL. */
    @Provide
    Arbitrary<String> headerValues() {
        return Arbitraries.strings().withChars('\t').withCharRange(' ', '~').withCharRange('\u0080', '\uffff')
                .ofMaxLength(200);
    }

    @Provide
    Arbitrary<Map<String, String>> headerMaps() {
        return Arbitraries.maps(headerNames(), headerValues()).ofMaxSize(50).map(LinkedHashMap::new);
    }

    @Provide
    Arbitrary<Character> controls() {
        return Arbitraries.chars().range('\u0000', '\u001f').filter(c -> c != '\t').injectDuplicates(0.0)
                .edgeCases(edges -> edges.add('\u007f'));
    }

    @Provide
    Arbitrary<String> reservedNames() {
        return Combinators.combine(Arbitraries.of(RESERVED), Arbitraries.longs()).as((name, bits) -> {
            StringBuilder mixed = new StringBuilder();
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                mixed.append(((bits >> (i % 64)) & 1) == 1 ? Character.toUpperCase(c) : c);
            }
            return mixed.toString();
        });
    }

    @Provide
    Arbitrary<String> schemes() {
        return Arbitraries.of("http://", "https://", "HTTP://", "hTtPs://");
    }

    @Provide
    Arbitrary<String> urlText() {
        return Arbitraries.strings().withCharRange('a', 'f').withCharRange('0', '9')
                .withChars(":/?#[]@!$&'()*+,;=%.-_~".toCharArray()).ofMinLength(1).ofMaxLength(30);
    }

    @Provide
    Arbitrary<String> urls() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1)
                .ofMaxLength(20);
        Arbitrary<String> host = label.list().ofMinSize(1).ofMaxSize(4)
                .map(labels -> String.join(".", labels) + ".example");
        Arbitrary<String> port = Arbitraries.integers().between(1, 65535).map(p -> ":" + p).injectNull(0.5)
                .map(p -> p == null ? "" : p);
        Arbitrary<String> path = Arbitraries.strings().withCharRange('a', 'z').withChars("-._~%2F".toCharArray())
                .ofMaxLength(30).map(p -> "/" + p.replace("%", "%25"));
        return Combinators.combine(Arbitraries.of("http", "https"), host, port, path)
                .as((scheme, h, p, pa) -> scheme + "://" + h + p + pa);
    }

    /** IPv4 and IPv6 literals, anywhere in the address space. */
    @Provide
    Arbitrary<String> literalHosts() {
        Arbitrary<String> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4).map(DestinationRequestPropertiesTest::text);
        Arbitrary<String> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16)
                .map(b -> "[" + text(b) + "]");
        return Arbitraries.oneOf(v4, v6);
    }

    private static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> violations(String url, Map<String, String> headers) {
        return VALIDATOR.validate(new DestinationRequest(url, "POST", headers, null, null, null, null)).stream()
                .map(ConstraintViolation::getPropertyPath).map(Object::toString).collect(Collectors.toSet());
    }
}
