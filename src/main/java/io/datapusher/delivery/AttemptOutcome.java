package io.datapusher.delivery;

import java.time.Duration;

/**
 * What one attempt came to: {@code SUCCESS} (2xx), {@code RETRY} (timeout, connection error,
 * 408, 429, 5xx) or {@code FAIL} (not worth repeating: 3xx, other 4xx, refused address, unusable
 * URL); or {@code NOT_ATTEMPTED}: the destination's circuit is open, nothing was sent, and the
 * log waits without an attempt counted (also when the destination's rate limit has no token); or
 * {@code SKIPPED}: not sent on purpose (destination disabled, or its filter does not match), the log
 * ends {@code skipped}. {@code error} is short and never holds a URL, header or body.
 */
public record AttemptOutcome(Kind kind, Integer responseStatus, String error, Duration retryAfter, String responseBody) {

    /** How much of a response body the log keeps. */
    public static final int BODY_CHARS = 256;

    public enum Kind {
        SUCCESS,
        RETRY,
        FAIL,
        NOT_ATTEMPTED,
        SKIPPED
    }

    public static AttemptOutcome success(int status) {
        return new AttemptOutcome(Kind.SUCCESS, status, null, null, null);
    }

    public static AttemptOutcome retry(Integer status, String error, Duration retryAfter) {
        return new AttemptOutcome(Kind.RETRY, status, error, retryAfter, null);
    }

    public static AttemptOutcome fail(Integer status, String error) {
        return new AttemptOutcome(Kind.FAIL, status, error, null, null);
    }

    /** Nothing sent; try again after {@code wait}. */
    public static AttemptOutcome notAttempted(String why, Duration wait) {
        return new AttemptOutcome(Kind.NOT_ATTEMPTED, null, why, wait, null);
    }

    /** Not sent on purpose, and not to be: the log ends {@code skipped} with {@code why}. */
    public static AttemptOutcome skipped(String why) {
        return new AttemptOutcome(Kind.SKIPPED, null, why, null, null);
    }

    /** The same outcome with the start of the answer's body (at most {@link #BODY_CHARS} characters). */
    public AttemptOutcome withResponseBody(String body) {
        String kept = body == null || body.length() <= BODY_CHARS ? body : body.substring(0, BODY_CHARS);
        return new AttemptOutcome(kind, responseStatus, error, retryAfter, kept);
    }

    /** Whether an attempt was made (and is counted in the log). */
    public boolean attempted() {
        return kind != Kind.NOT_ATTEMPTED && kind != Kind.SKIPPED;
    }

    /** The log's status once this outcome is written, given the attempts made before it and the limit. */
    public DeliveryStatus statusAfter(int attemptsBefore, int attemptLimit) {
        return switch (kind) {
            case SUCCESS -> DeliveryStatus.SUCCESS;
            case FAIL -> DeliveryStatus.FAILED;
            case RETRY -> attemptsBefore + 1 >= attemptLimit ? DeliveryStatus.FAILED : DeliveryStatus.PENDING;
            case NOT_ATTEMPTED -> DeliveryStatus.PENDING;
            case SKIPPED -> DeliveryStatus.SKIPPED;
        };
    }

    /**
     * 2xx is success. Redirects are not followed, so a 3xx is a failure. 408, 429 and 5xx are
     * retried; any other 4xx is the destination refusing this request, which a repeat would not
     * change (the usual webhook practice), so it fails at once.
     */
    public static AttemptOutcome ofStatus(int status, Duration retryAfter) {
        if (status >= 200 && status < 300) {
            return success(status);
        }
        if (status >= 300 && status < 400) {
            return fail(status, "HTTP " + status + ": redirect not followed");
        }
        if (status == 408 || status == 429 || status >= 500) {
            return retry(status, "HTTP " + status, retryAfter);
        }
        if (status >= 400) {
            return fail(status, "HTTP " + status);
        }
        return retry(status, "HTTP " + status + ": unexpected status", retryAfter);
    }

    /** Whether this outcome tells that the destination is unwell (counted by its circuit breaker). */
    boolean destinationUnwell() {
        return kind == Kind.RETRY;
    }
}
