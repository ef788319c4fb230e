package io.datapusher.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The request checks that need no database, one by one. */
class IncomingDataTest {

    @Test
    void eventId_of1To255PrintableAsciiCharacters_isValid() {
        assertTrue(IncomingData.isValidEventId("a"));
        assertTrue(IncomingData.isValidEventId("order 42/#~!"));
        assertTrue(IncomingData.isValidEventId("x".repeat(255)));
    }

    @Test
    void eventId_emptyTooLongControlOrNonAscii_isInvalid() {
        assertFalse(IncomingData.isValidEventId(null));
        assertFalse(IncomingData.isValidEventId(""));
        assertFalse(IncomingData.isValidEventId("x".repeat(256)));
        assertFalse(IncomingData.isValidEventId("a\tb"));
        assertFalse(IncomingData.isValidEventId("a\u007fb"));
        assertFalse(IncomingData.isValidEventId("caf\u00e9"));
    }

    @Test
    void contentType_jsonWithOrWithoutUtf8_isAccepted() {
        assertTrue(IncomingData.isJsonContentType("application/json"));
        assertTrue(IncomingData.isJsonContentType("Application/JSON; charset=UTF-8"));
        assertTrue(IncomingData.isJsonContentType("application/json;charset=utf-8"));
    }

    @Test
    void contentType_otherOrMissingOrOtherCharset_isRefused() {
        assertFalse(IncomingData.isJsonContentType(null));
        assertFalse(IncomingData.isJsonContentType(""));
        assertFalse(IncomingData.isJsonContentType("text/plain"));
        assertFalse(IncomingData.isJsonContentType("application/x-www-form-urlencoded"));
        assertFalse(IncomingData.isJsonContentType("application/json; charset=iso-8859-1"));
        assertFalse(IncomingData.isJsonContentType("application/vnd.api+json"));
        assertFalse(IncomingData.isJsonContentType("garbage/"));
    }

    @Test
    void body_oneJsonObject_isAccepted() {
        assertTrue(isObject("{}"));
        assertTrue(isObject(" {\"a\": [1, {\"b\": null}], \"c\": \"\u00fc\"} \n"));
    }

    @Test
    void body_notExactlyOneJsonObject_isRefused() {
        assertFalse(isObject(""));
        assertFalse(isObject("[1, 2]"));
        assertFalse(isObject("\"text\""));
        assertFalse(isObject("42"));
        assertFalse(isObject("null"));
        assertFalse(isObject("{\"a\": "));
        assertFalse(isObject("{} {}"));
        assertFalse(isObject("{} x"));
        assertFalse(isObject("{'a': 1}"));
        assertFalse(isObject("{\"a\": NaN}"));
    }

    @Test
    void body_notUtf8_isRefused() {
        assertFalse(IncomingData.isJsonObject(new byte[] { '{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}' }));
        assertFalse(IncomingData.isJsonObject("{\"a\": 1}".getBytes(StandardCharsets.UTF_16)));
    }

    @Test
    void retryAfter_isTheWholeSecondsUntilOneToken_atLeastOne() {
        assertEquals(1, IntakeStatement.secondsUntilToken(0.9, 5));
        assertEquals(1, IntakeStatement.secondsUntilToken(0.0, 5));
        assertEquals(2, IntakeStatement.secondsUntilToken(0.0, 0.5));
        assertEquals(1, IntakeStatement.secondsUntilToken(1.0, 5));
    }

    private static boolean isObject(String json) {
        return IncomingData.isJsonObject(json.getBytes(StandardCharsets.UTF_8));
    }
}
