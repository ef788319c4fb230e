package io.datapusher.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.ingest.IncomingData;
import io.datapusher.testing.JsonArbitraries;
import io.datapusher.testing.QueryStrings;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The query string of a GET delivery, for any JSON object: an ordinary decoder gets back every
 * top-level field in the contract's form (strings as they are, numbers as written, booleans,
 * null as empty, objects and arrays as compact JSON), in order, and nothing in a name or value
 * can break the query's structure.
 */
class QueryStringPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Possessive, so that a long value does not overflow the regex engine's stack. */
    private static final Pattern ENCODED = Pattern.compile("(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})*+");

    @Property(tries = 300)
    void everyField_decodesToItsContractForm_inOrder(@ForAll("objects") ObjectNode object) throws Exception {
        String query = WebhookRequest.queryOf(JSON.writeValueAsBytes(object));
        if (object.isEmpty()) {
            assertEquals("", query);
            return;
        }
        List<Map.Entry<String, String>> decoded = new ArrayList<>(QueryStrings.decode(query).entrySet());
        assertEquals(object.size(), decoded.size(), query);
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        for (Map.Entry<String, String> pair : decoded) {
            Map.Entry<String, JsonNode> field = fields.next();
            assertEquals(field.getKey(), pair.getKey());
            JsonNode value = field.getValue();
            if (value.isContainerNode()) {
                // compact, numbers as written: the very text of the value in the (compact) body
                assertEquals(JSON.writeValueAsString(value), pair.getValue(), pair.getKey());
            } else {
                assertEquals(value.isNull() ? "" : value.isTextual() ? value.textValue() : value.toString(),
                        pair.getValue(), pair.getKey());
            }
        }
    }

    @Property(tries = 300)
    void namesAndValues_holdOnlyUnreservedCharactersAndPercentEscapes(@ForAll("objects") ObjectNode object)
            throws Exception {
        String query = WebhookRequest.queryOf(JSON.writeValueAsBytes(object));
        String[] pairs = query.isEmpty() ? new String[0] : query.split("&", -1);
        assertEquals(object.size(), pairs.length, query);
        for (String pair : pairs) {
            String[] nameAndValue = pair.split("=", -1);
            assertEquals(2, nameAndValue.length, pair);
            assertTrue(ENCODED.matcher(nameAndValue[0]).matches(), pair);
            assertTrue(ENCODED.matcher(nameAndValue[1]).matches(), pair);
        }
    }

    @Property
    void numbers_keepTheTextTheyWereWrittenIn(@ForAll("numbers") String number) {
        String query = WebhookRequest.queryOf(("{\"n\": " + number + "}").getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("n", number), QueryStrings.decode(query));
    }

    @Property(tries = 100)
    void theUrlsOwnQuery_isKept_andTheFieldsFollowIt(@ForAll("objects") ObjectNode object,
            @ForAll("ownQueries") String own) throws Exception {
        WebhookRequest request = WebhookRequest.build(DeliveryMethod.GET, "https://example.com/p?" + own, Map.of(),
                List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "e", JSON.writeValueAsBytes(object), 1L);
        String fields = WebhookRequest.queryOf(JSON.writeValueAsBytes(object));
        assertEquals("/p?" + own + (fields.isEmpty() ? "" : "&" + fields), request.uri());
        assertEquals(0, request.body().length);
    }

    /** Nested arrays down to the depth the parser allows: what ingest accepts, a GET delivery can carry. */
    @Property(tries = 50)
    void deeplyNestedValues_thatIngestAccepts_canBeSentByGet(@ForAll @IntRange(min = 1, max = 999) int depth) {
        byte[] body = nested(depth);
        assertTrue(IncomingData.isJsonObject(body));
        assertEquals("[".repeat(depth) + "]".repeat(depth), QueryStrings.decode(WebhookRequest.queryOf(body)).get("deep"));
    }

    @Example
    void nestingBeyondTheParsersLimit_isRefusedByIngest() {
        // the object and 999 arrays are 1,000 levels, Jackson's default limit
        assertFalse(IncomingData.isJsonObject(nested(1000)));
        assertFalse(IncomingData.isJsonObject(nested(100_000)));
    }

    private static byte[] nested(int depth) {
        return ("{\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<ObjectNode> objects() {
        return JsonArbitraries.objects();
    }

    @Provide
    Arbitrary<String> numbers() {
        return JsonArbitraries.numberTexts();
    }

    @Provide
    Arbitrary<String> ownQueries() {
        return net.jqwik.api.Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8).list().ofMinSize(1)
                .ofMaxSize(3).map(words -> String.join("&", words.stream().map(w -> w + "=" + w).toList()));
    }
}
