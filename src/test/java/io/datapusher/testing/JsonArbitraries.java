package io.datapusher.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of JSON values for property-based tests: any scalar, and arrays and objects of them. */
public final class JsonArbitraries {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonArbitraries() {
    }

    /** Any JSON value, nested up to three levels. */
    public static Arbitrary<JsonNode> values() {
        return Arbitraries.recursive(JsonArbitraries::scalars, JsonArbitraries::containersOf, 0, 3);
    }

    /** A JSON object whose members are any JSON values. */
    public static Arbitrary<ObjectNode> objects() {
        return objectsOf(values());
    }

    /**
     * Any text a valid UTF-8 body can hold: every BMP character but the surrogates (controls and
     * quotes included), characters beyond the BMP as surrogate pairs, and often only ASCII, so
     * that its punctuation ({@code & = % + # ?}) turns up.
     */
    public static Arbitrary<String> texts() {
        Arbitrary<String> ascii = Arbitraries.strings().withCharRange('\u0000', '\u007f').ofMaxLength(20);
        Arbitrary<String> bmp = Arbitraries.strings().withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\ufffd')
                .ofMaxLength(20);
        Arbitrary<String> beyond = bmp.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("\ud83d\udc22", parts));
        return Arbitraries.oneOf(ascii, ascii, bmp, beyond);
    }

    public static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                texts().map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.bigDecimals().ofScale(4).map(NODES::numberNode),
                Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
    }

    /**
     * A JSON number as it may be written: sign, integer part, fraction, exponent (RFC 8259).
     * Jackson would normalise a generated BigDecimal; these keep the exact text.
     */
    public static Arbitrary<String> numberTexts() {
        Arbitrary<String> integer = Arbitraries.oneOf(Arbitraries.just("0"),
                Combinators.combine(Arbitraries.chars().range('1', '9'), Arbitraries.strings().numeric().ofMaxLength(18))
                        .as((first, rest) -> first + rest));
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(10).map(d -> "." + d)
                .injectNull(0.5).map(f -> f == null ? "" : f);
        Arbitrary<String> exponent = Combinators.combine(Arbitraries.of("e", "E"), Arbitraries.of("", "+", "-"),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(3)).as((e, s, d) -> e + s + d)
                .injectNull(0.6).map(x -> x == null ? "" : x);
        return Combinators.combine(Arbitraries.of("", "-"), integer, fraction, exponent).as((s, i, f, e) -> s + i + f + e);
    }

    private static Arbitrary<JsonNode> containersOf(Arbitrary<JsonNode> inner) {
        Arbitrary<JsonNode> arrays = inner.list().ofMaxSize(3).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
        return Arbitraries.oneOf(arrays, objectsOf(inner).map(o -> o));
    }

    private static Arbitrary<ObjectNode> objectsOf(Arbitrary<JsonNode> inner) {
        return Arbitraries.maps(texts(), inner).ofMaxSize(4).map(members -> {
            ObjectNode object = NODES.objectNode();
            members.forEach(object::set);
            return object;
        });
    }

}
