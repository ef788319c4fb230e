package io.datapusher.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

class BackoffAndOutcomeTest {
    private static final Duration INITIAL = Duration.ofSeconds(5);
    private static final Duration MAX = Duration.ofHours(1);

    @Test
    void backoff_doublesFromTheInitialDelay_withJitterOfAQuarter() {
        for (int attempts = 1; attempts <= 6; attempts++) {
            long base = 5000L << (attempts - 1);
            for (int i = 0; i < 200; i++) {
                long delay = Backoff.next(attempts, INITIAL, MAX, null, RandomGenerator.getDefault()).toMillis();
                assertTrue(delay >= base * 3 / 4 && delay <= base * 5 / 4, attempts + ": " + delay);
            }
        }
    }

    @Test
    void backoff_neverExceedsTheMaximum() {
        assertEquals(MAX, Backoff.next(40, INITIAL, MAX, null, fixed(0.999)));
        assertEquals(MAX, Backoff.next(1000, INITIAL, MAX, null, fixed(0.5)));
    }

    @Test
    void backoff_waitsAtLeastTheRetryAfter_cappedByTheMaximum() {
        assertEquals(Duration.ofSeconds(120), Backoff.next(1, INITIAL, MAX, Duration.ofSeconds(120), fixed(0.5)));
        assertEquals(Duration.ofSeconds(5), Backoff.next(1, INITIAL, MAX, Duration.ofSeconds(1), fixed(0.5)));
        assertEquals(MAX, Backoff.next(1, INITIAL, MAX, Duration.ofDays(2), fixed(0.5)));
    }

    @Test
    void retryAfter_inSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-11-28T02:00:00Z");
        assertEquals(Duration.ofSeconds(30), Backoff.parseRetryAfter("30", now));
        assertEquals(Duration.ofSeconds(90), Backoff.parseRetryAfter("Sat, 28 Nov 2026 02:01:30 GMT", now));
        assertEquals(Duration.ZERO, Backoff.parseRetryAfter("Sat, 28 Nov 2026 01:00:00 GMT", now));
        assertNull(Backoff.parseRetryAfter("soon", now));
        assertNull(Backoff.parseRetryAfter("-5", now));
        assertNull(Backoff.parseRetryAfter(null, now));
    }

    @Test
    void status_2xxSucceeds_3xxAndOther4xxFail_408And429And5xxAreRetried() {
        assertEquals(AttemptOutcome.Kind.SUCCESS, AttemptOutcome.ofStatus(200, null).kind());
        assertEquals(AttemptOutcome.Kind.SUCCESS, AttemptOutcome.ofStatus(204, null).kind());
        assertEquals(AttemptOutcome.Kind.FAIL, AttemptOutcome.ofStatus(301, null).kind());
        assertEquals(AttemptOutcome.Kind.FAIL, AttemptOutcome.ofStatus(302, null).kind());
        assertEquals(AttemptOutcome.Kind.FAIL, AttemptOutcome.ofStatus(400, null).kind());
        assertEquals(AttemptOutcome.Kind.FAIL, AttemptOutcome.ofStatus(404, null).kind());
        assertEquals(AttemptOutcome.Kind.RETRY, AttemptOutcome.ofStatus(408, null).kind());
        assertEquals(AttemptOutcome.Kind.RETRY, AttemptOutcome.ofStatus(429, Duration.ofSeconds(3)).kind());
        assertEquals(Duration.ofSeconds(3), AttemptOutcome.ofStatus(429, Duration.ofSeconds(3)).retryAfter());
        assertEquals(AttemptOutcome.Kind.RETRY, AttemptOutcome.ofStatus(500, null).kind());
        assertEquals(AttemptOutcome.Kind.RETRY, AttemptOutcome.ofStatus(503, null).kind());
        assertEquals("HTTP 503", AttemptOutcome.ofStatus(503, null).error());
    }

    @Test
    void lastRetryableAttempt_endsFailed() {
        AttemptOutcome retry = AttemptOutcome.retry(503, "HTTP 503", null);
        assertEquals(DeliveryStatus.FAILED, retry.statusAfter(2, 3));
        assertEquals(DeliveryStatus.PENDING, retry.statusAfter(1, 3));
        assertEquals(DeliveryStatus.SUCCESS, AttemptOutcome.success(200).statusAfter(2, 3));
        assertEquals(DeliveryStatus.FAILED, AttemptOutcome.fail(404, "HTTP 404").statusAfter(1, 3));
    }

    @Test
    void anOpenCircuit_isNoAttempt_andNeverEndsTheLog() {
        AttemptOutcome open = AttemptOutcome.notAttempted("circuit open", Duration.ofSeconds(30));
        assertEquals(false, open.attempted());
        assertEquals(DeliveryStatus.PENDING, open.statusAfter(2, 3), "even after the last attempt allowed");
        assertEquals(true, retryable().attempted());
    }

    private static AttemptOutcome retryable() {
        return AttemptOutcome.retry(503, "HTTP 503", null);
    }

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
