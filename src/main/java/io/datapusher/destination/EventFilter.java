package io.datapusher.destination;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.datapusher.common.ApiException;

/**
 * A destination's filter: every condition must hold for an event to be sent to it. Built from the
 * saved conditions by {@link #of}, which refuses what could never be evaluated the same way twice.
 */
public final class EventFilter {
    static final int MAX_CONDITIONS = 20;
    static final int MAX_VALUES = 50;
    static final int MAX_KEYS = 10;
    static final int MAX_STRING = 1000;
    /** A key: printable, no dot (the separator), no control character. */
    private static final Pattern KEY = Pattern.compile("[^.\\p{Cntrl}]{1,100}");

    private final List<Test> tests;

    private EventFilter(List<Test> tests) {
        this.tests = tests;
    }

    private record Test(String[] keys, FilterCondition condition) {
    }

    /**
     * The filter of these conditions, or null for none (null or empty: every event is sent).
     *
     * @throws ApiException 400 on {@code filter[i]...} when a condition is not well formed
     */
    public static EventFilter of(List<FilterCondition> conditions) {
        if (conditions == null || conditions.isEmpty()) {
            return null;
        }
        if (conditions.size() > MAX_CONDITIONS) {
            throw ApiException.invalid("filter", "must have at most " + MAX_CONDITIONS + " conditions");
        }
        List<Test> tests = new ArrayList<>(conditions.size());
        for (int i = 0; i < conditions.size(); i++) {
            tests.add(check("filter[" + i + "]", conditions.get(i)));
        }
        return new EventFilter(tests);
    }

    private static Test check(String field, FilterCondition condition) {
        if (condition == null) {
            throw ApiException.invalid(field, "must be an object");
        }
        if (condition.path() == null || condition.path().isEmpty()) {
            throw ApiException.invalid(field + ".path", "must not be empty");
        }
        String[] keys = condition.path().split("\\.", -1);
        if (keys.length > MAX_KEYS) {
            throw ApiException.invalid(field + ".path", "must have at most " + MAX_KEYS + " keys");
        }
        for (String key : keys) {
            if (!KEY.matcher(key).matches()) {
                throw ApiException.invalid(field + ".path",
                        "must be keys of 1 to 100 characters separated by dots, without control characters");
            }
        }
        int given = (condition.equalTo() != null ? 1 : 0) + (condition.in() != null ? 1 : 0)
                + (condition.exists() != null ? 1 : 0);
        if (given != 1) {
            throw ApiException.invalid(field, "must have exactly one of equals, in, exists");
        }
        if (condition.equalTo() != null) {
            checkScalar(field + ".equals", condition.equalTo());
        }
        if (condition.in() != null) {
            if (condition.in().isEmpty() || condition.in().size() > MAX_VALUES) {
                throw ApiException.invalid(field + ".in", "must have 1 to " + MAX_VALUES + " values");
            }
            for (int j = 0; j < condition.in().size(); j++) {
                checkScalar(field + ".in[" + j + "]", condition.in().get(j));
            }
        }
        return new Test(keys, condition);
    }

    private static void checkScalar(String field, JsonNode value) {
        // Jackson gives a JSON null inside a list as Java null.
        if (value == null || value.isNull() || value.isBoolean() || value.isNumber()) {
            return;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid(field, "must be a string, number, boolean or null");
        }
        if (value.textValue().length() > MAX_STRING) {
            throw ApiException.invalid(field, "must be at most " + MAX_STRING + " characters");
        }
    }

    /** Whether the event passes every condition. */
    public boolean matches(JsonNode event) {
        for (Test test : tests) {
            if (!holds(test, find(event, test.keys()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Test test, JsonNode found) {
        FilterCondition condition = test.condition();
        if (condition.exists() != null) {
            return (found != null) == condition.exists();
        }
        if (found == null) {
            return false;
        }
        if (condition.equalTo() != null) {
            return sameScalar(found, condition.equalTo());
        }
        for (JsonNode value : condition.in()) {
            if (sameScalar(found, value)) {
                return true;
            }
        }
        return false;
    }

    /** The node at these keys, through objects only; null when a key is missing. */
    private static JsonNode find(JsonNode event, String[] keys) {
        JsonNode node = event;
        for (String key : keys) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(key);
        }
        return node;
    }

    private static boolean sameNumber(JsonNode found, JsonNode wanted) {
        try {
            return found.decimalValue().compareTo(wanted.decimalValue()) == 0;
        } catch (NumberFormatException e) {
            // A double out of range (1e999 parses as infinity) has no decimal value.
            return found.doubleValue() == wanted.doubleValue();
        }
    }

    private static boolean sameScalar(JsonNode found, JsonNode wanted) {
        if (wanted == null || wanted.isNull()) {
            return found.isNull();
        }
        if (wanted.isNumber()) {
            return found.isNumber() && sameNumber(found, wanted);
        }
        if (wanted.isTextual()) {
            return found.isTextual() && found.textValue().equals(wanted.textValue());
        }
        return found.isBoolean() && found.booleanValue() == wanted.booleanValue();
    }
}
