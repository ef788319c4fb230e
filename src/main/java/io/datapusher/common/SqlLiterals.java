package io.datapusher.common;

import java.time.Duration;
import java.util.Locale;

/**
 * Configured values written into a statement's text once, so that the statement keeps only its
 * real parameters: the same SQL on every call, planned once.
 */
public final class SqlLiterals {
    private SqlLiterals() {
    }

    /** A PostgreSQL interval of this duration, to the millisecond: {@code make_interval(secs => 2.500)}. */
    public static String interval(Duration duration) {
        return "make_interval(secs => " + String.format(Locale.ROOT, "%.3f", duration.toMillis() / 1000.0) + ")";
    }

    /** A decimal number, never in the locale's notation. */
    public static String number(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }
}
