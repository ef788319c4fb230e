package io.datapusher.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What the console reads from its forms before the API's own rules check it. */
class ConsoleFormsTest {

    @Test
    void headerLines_areNameColonValue_blankLinesSkipped_andFormatBackTheSame() throws Exception {
        Map<String, String> headers = HeaderLines.parse("X-Api-Key: k-123\r\n\nAuthorization:  Bearer a:b \n");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("X-Api-Key", "k-123");
        expected.put("Authorization", "Bearer a:b");
        assertEquals(expected, headers);
        assertEquals("X-Api-Key: k-123\nAuthorization: Bearer a:b", HeaderLines.format(headers));
        assertEquals(Map.of(), HeaderLines.parse(""));
    }

    @Test
    void headerLines_withoutAName_orRepeated_areRefusedByLine() {
        assertEquals("line 2 is not Name: value",
                assertThrows(HeaderLines.Unreadable.class, () -> HeaderLines.parse("A: 1\n: 2")).getMessage());
        assertEquals("line 2 repeats A",
                assertThrows(HeaderLines.Unreadable.class, () -> HeaderLines.parse("A: 1\nA: 2")).getMessage());
    }

    @Test
    void aTimeWithoutOffset_isUtc_anythingElsePassesAsItIs() {
        assertEquals("2026-11-28T10:00Z", LogPages.utc("2026-11-28T10:00"));
        assertEquals("2026-11-28T10:00:05Z", LogPages.utc("2026-11-28T10:00:05"));
        assertEquals("2026-11-28T10:00:00+02:00", LogPages.utc("2026-11-28T10:00:00+02:00"));
        assertEquals("yesterday", LogPages.utc("yesterday"));
        assertEquals(null, LogPages.utc(null));
    }

    @Test
    void aSessionsFormToken_followsItsTokenId() {
        String token = ConsoleUser.formTokenFor("jti-1");
        assertEquals(token, ConsoleUser.formTokenFor("jti-1"));
        assertEquals(43, token.length());
        org.junit.jupiter.api.Assertions.assertNotEquals(token, ConsoleUser.formTokenFor("jti-2"));
    }
}
