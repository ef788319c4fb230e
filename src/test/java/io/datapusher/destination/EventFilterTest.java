package io.datapusher.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.datapusher.common.ApiException;

class EventFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static JsonNode event(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static FilterCondition equalTo(String path, JsonNode value) {
        return new FilterCondition(path, value, null, null);
    }

    private static FilterCondition in(String path, JsonNode... values) {
        return new FilterCondition(path, null, List.of(values), null);
    }

    private static FilterCondition exists(String path, boolean exists) {
        return new FilterCondition(path, null, null, exists);
    }

    @Test
    void noConditions_isNoFilter() {
        assertNull(EventFilter.of(null));
        assertNull(EventFilter.of(List.of()));
    }

    @Test
    void equals_matchesTheValueAtADottedPath_numbersByValue() throws Exception {
        EventFilter filter = EventFilter.of(List.of(equalTo("type", NODES.textNode("order.created")),
                equalTo("data.total", NODES.numberNode(10))));

        assertTrue(filter.matches(event("{\"type\":\"order.created\",\"data\":{\"total\":10.0}}")));
        assertFalse(filter.matches(event("{\"type\":\"order.created\",\"data\":{\"total\":\"10\"}}")));
        assertFalse(filter.matches(event("{\"type\":\"order.paid\",\"data\":{\"total\":10}}")));
        assertFalse(filter.matches(event("{\"type\":\"order.created\"}")), "a missing key matches no value");
        assertFalse(filter.matches(event("{\"type\":\"order.created\",\"data\":[{\"total\":10}]}")),
                "paths go through objects only");
    }

    @Test
    void equalsNull_matchesAJsonNull_notAMissingKey() throws Exception {
        EventFilter filter = EventFilter.of(List.of(equalTo("deleted_at", NODES.nullNode())));

        assertTrue(filter.matches(event("{\"deleted_at\":null}")));
        assertFalse(filter.matches(event("{}")));
        assertFalse(filter.matches(event("{\"deleted_at\":\"2026-01-01\"}")));
    }

    @Test
    void in_matchesAnyOfItsValues_andBooleansAreNotStrings() throws Exception {
        EventFilter filter = EventFilter.of(List.of(in("country", NODES.textNode("FR"), NODES.textNode("DE")),
                in("live", NODES.booleanNode(true))));

        assertTrue(filter.matches(event("{\"country\":\"DE\",\"live\":true}")));
        assertFalse(filter.matches(event("{\"country\":\"ES\",\"live\":true}")));
        assertFalse(filter.matches(event("{\"country\":\"FR\",\"live\":\"true\"}")));
    }

    @Test
    void exists_tellsWhetherTheKeyIsThere_evenHoldingNull() throws Exception {
        EventFilter present = EventFilter.of(List.of(exists("a.b", true)));
        EventFilter absent = EventFilter.of(List.of(exists("a.b", false)));

        assertTrue(present.matches(event("{\"a\":{\"b\":null}}")));
        assertFalse(present.matches(event("{\"a\":{}}")));
        assertTrue(absent.matches(event("{\"a\":1}")));
        assertFalse(absent.matches(event("{\"a\":{\"b\":0}}")));
    }

    @Test
    void aNumberOutOfDoubleRange_isComparedWithoutFailing() throws Exception {
        EventFilter filter = EventFilter.of(List.of(equalTo("n", NODES.numberNode(1))));

        assertFalse(filter.matches(event("{\"n\":1e999}")));
    }

    @Test
    void malformedConditions_areRefusedOnTheirField() {
        refused(List.of(new FilterCondition("type", null, null, null)), "filter[0]");
        refused(List.of(new FilterCondition("type", NODES.textNode("a"), null, true)), "filter[0]");
        refused(List.of(exists("ok", true), equalTo("", NODES.textNode("a"))), "filter[1].path");
        refused(List.of(equalTo("a..b", NODES.textNode("a"))), "filter[0].path");
        refused(List.of(equalTo("a.b\n", NODES.textNode("a"))), "filter[0].path");
        refused(List.of(equalTo("a.b.c.d.e.f.g.h.i.j.k", NODES.textNode("a"))), "filter[0].path");
        refused(List.of(equalTo("a", NODES.objectNode())), "filter[0].equals");
        refused(List.of(equalTo("a", NODES.textNode("x".repeat(1001)))), "filter[0].equals");
        refused(List.of(new FilterCondition("a", null, List.of(), null)), "filter[0].in");
        refused(List.of(in("a", NODES.textNode("x"), NODES.arrayNode())), "filter[0].in[1]");
        refused(List.of(new FilterCondition("a", null, Collections.nCopies(51, NODES.textNode("x")), null)),
                "filter[0].in");
        List<FilterCondition> many = new ArrayList<>(Collections.nCopies(21, exists("a", true)));
        refused(many, "filter");
        List<FilterCondition> withNull = new ArrayList<>();
        withNull.add(null);
        refused(withNull, "filter[0]");
    }

    private static void refused(List<FilterCondition> conditions, String field) {
        ApiException refused = assertThrows(ApiException.class, () -> EventFilter.of(conditions));
        assertEquals(400, refused.status());
        assertEquals(field, refused.errors().get(0).field());
    }
}
