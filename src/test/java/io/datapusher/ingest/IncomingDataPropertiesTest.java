package io.datapusher.ingest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.datapusher.testing.JsonArbitraries;
import io.vertx.core.http.impl.HttpUtils;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The checks of POST /server/incoming_data, for any event id and any body. */
class IncomingDataPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Property
    void eventIds_of1To255PrintableAscii_areValid_andTravelAsAWebhookIdHeader(@ForAll("eventIds") String eventId) {
        assertTrue(IncomingData.isValidEventId(eventId));
        // what the delivery's HTTP client checks before sending it as webhook-id
        assertDoesNotThrow(() -> HttpUtils.validateHeader("webhook-id", eventId));
    }

    @Property
    void eventIds_withAnyCharacterOutsidePrintableAscii_areInvalid(@ForAll("eventIds") String eventId,
            @ForAll char intruder, @ForAll @IntRange(min = 0, max = 255) int at) {
        net.jqwik.api.Assume.that(intruder < 0x20 || intruder > 0x7e);
        int position = Math.min(at, eventId.length());
        String spoiled = eventId.substring(0, position) + intruder + eventId.substring(position);
        net.jqwik.api.Assume.that(spoiled.length() <= 255);
        assertFalse(IncomingData.isValidEventId(spoiled));
    }

    @Property
    void eventIds_emptyOrLongerThan255_areInvalid(@ForAll @IntRange(min = 256, max = 5000) int length) {
        assertFalse(IncomingData.isValidEventId(""));
        assertFalse(IncomingData.isValidEventId("a".repeat(length)));
    }

    @Property(tries = 300)
    void anyJsonObject_compactOrPretty_isAccepted(@ForAll("objects") ObjectNode object) throws Exception {
        assertTrue(IncomingData.isJsonObject(JSON.writeValueAsBytes(object)));
        assertTrue(IncomingData.isJsonObject(
                (" \n\t" + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(object) + "\r\n ")
                        .getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 300)
    void anyOtherJsonValue_isRefused(@ForAll("values") JsonNode value) throws Exception {
        net.jqwik.api.Assume.that(!value.isObject());
        assertFalse(IncomingData.isJsonObject(JSON.writeValueAsBytes(value)));
    }

    @Property(tries = 300)
    void anObjectFollowedByAnything_isRefused(@ForAll("objects") ObjectNode object, @ForAll("values") JsonNode after)
            throws Exception {
        assertFalse(IncomingData.isJsonObject((JSON.writeValueAsString(object) + " " + JSON.writeValueAsString(after))
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 300)
    void anObjectWithABytesThatIsNeverUtf8_isRefused(@ForAll("objects") ObjectNode object,
            @ForAll("neverUtf8") byte intruder, @ForAll @IntRange(min = 0, max = 100_000) int at) throws Exception {
        byte[] valid = JSON.writeValueAsBytes(object);
        int position = at % (valid.length + 1);
        byte[] spoiled = new byte[valid.length + 1];
        System.arraycopy(valid, 0, spoiled, 0, position);
        spoiled[position] = intruder;
        System.arraycopy(valid, position, spoiled, position + 1, valid.length - position);
        assertFalse(IncomingData.isJsonObject(spoiled));
    }

    @Property(tries = 300)
    void anObjectCutShort_isRefused(@ForAll("objects") ObjectNode object, @ForAll @IntRange(min = 1, max = 100_000) int cut)
            throws Exception {
        byte[] valid = JSON.writeValueAsBytes(object);
        int length = valid.length - 1 - cut % valid.length;
        byte[] truncated = java.util.Arrays.copyOf(valid, length);
        assertFalse(IncomingData.isJsonObject(truncated));
    }

    /** Any bytes at all: an answer, never an exception (which would be a 500). */
    @Property
    void anyBytes_areJudgedWithoutAnException(@ForAll byte[] body) {
        assertDoesNotThrow(() -> IncomingData.isJsonObject(body));
    }

    @Example
    void utf16AndUtf32Objects_areRefused() {
        for (String charset : new String[] { "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32" }) {
            assertFalse(IncomingData.isJsonObject("{\"a\": \"b\"}".getBytes(java.nio.charset.Charset.forName(charset))),
                    charset);
        }
    }

    @Provide
    Arbitrary<String> eventIds() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(255);
    }

    @Provide
    Arbitrary<ObjectNode> objects() {
        return JsonArbitraries.objects();
    }

    @Provide
    Arbitrary<JsonNode> values() {
        return JsonArbitraries.values();
    }

    /** Bytes that appear nowhere in well-formed UTF-8 (RFC 3629). */
    @Provide
    Arbitrary<Byte> neverUtf8() {
        return Arbitraries.of((byte) 0xc0, (byte) 0xc1, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7, (byte) 0xf8, (byte) 0xf9,
                (byte) 0xfa, (byte) 0xfb, (byte) 0xfc, (byte) 0xfd, (byte) 0xfe, (byte) 0xff);
    }
}
