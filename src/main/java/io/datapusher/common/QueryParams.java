package io.datapusher.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Parses optional query parameters; a bad value is a 400 naming the parameter. */
public final class QueryParams {
    private QueryParams() {
    }

    public static int intParam(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw ApiException.invalid(name, "must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "must be a whole number");
        }
    }

    public static UUID uuidParam(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(name, "must be a UUID");
        }
    }

    public static Instant instantParam(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, "must be an ISO-8601 timestamp with offset, e.g. 2026-11-28T02:00:00Z");
        }
    }

    /**
     * A free-text filter: blank means none; long values and control characters (which no stored
     * text holds, and PostgreSQL refuses in a parameter) are refused rather than silently dropped.
     */
    public static String textParam(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > 200) {
            throw ApiException.invalid(name, "must be at most 200 characters");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.invalid(name, "must not hold control characters");
        }
        return value.strip();
    }
}
