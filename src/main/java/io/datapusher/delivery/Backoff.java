package io.datapusher.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.random.RandomGenerator;

/** Delay before the next attempt: exponential with jitter, and never before a Retry-After. */
public final class Backoff {
    private Backoff() {
    }

    /**
     * @param attempts attempts made so far, this one included (1 after the first)
     * @return {@code initial * 2^(attempts-1)}, times a random factor in [0.75, 1.25), at most
     *         {@code max}; at least the destination's Retry-After (itself capped by {@code max})
     */
    public static Duration next(int attempts, Duration initial, Duration max, Duration retryAfter,
            RandomGenerator random) {
        long initialMs = Math.max(1, initial.toMillis());
        long maxMs = Math.max(1, max.toMillis());
        int doublings = Math.min(Math.max(0, attempts - 1), 40);
        double base = Math.min((double) maxMs, initialMs * Math.pow(2, doublings));
        long delay = Math.min(maxMs, Math.round(base * (0.75 + 0.5 * random.nextDouble())));
        if (retryAfter != null) {
            delay = Math.max(delay, Math.min(maxMs, retryAfter.toMillis()));
        }
        return Duration.ofMillis(delay);
    }

    /** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
    public static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            // an HTTP date then
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration until = Duration.between(now, at);
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
