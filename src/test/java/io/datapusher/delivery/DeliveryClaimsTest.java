package io.datapusher.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.testing.Tenant;
import io.datapusher.testing.WebhookReceiver;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Claims are fenced: a holder whose lease lapsed cannot overwrite the outcome of the claim that
 * took the log over, and does not even start an attempt it could not finish within its lease. The
 * logs here are due only in ten minutes, so the due poller leaves them to the test.
 */
@QuarkusTest
class DeliveryClaimsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    DeliveryClaims claims;

    @Inject
    OutcomeRecorder recorder;

    @Inject
    Dispatcher dispatcher;

    @Inject
    InFlight inFlight;

    @Inject
    DuePoller duePoller;

    @Test
    void aStaleHoldersOutcome_isNotWritten_overTheClaimThatTookTheLogOver() {
        UUID eventRef = pendingEvent("https://hooks.example.invalid/fenced");
        Delivery stale = claimOne(eventRef);
        // its lease lapses (a long pause, say), and another replica claims the log
        sql("UPDATE delivery_logs SET lease_until = now() - interval '1 second' WHERE id = '" + stale.logId() + "'");
        Delivery current = claimOne(eventRef);
        assertEquals(stale.logId(), current.logId());
        assertNotEquals(stale.claimToken(), current.claimToken());

        recorder.record(stale, AttemptOutcome.success(200));
        recorder.record(current, AttemptOutcome.retry(503, "HTTP 503", null));

        DeliveryLog log = await().atMost(WAIT).until(() -> logOf(current.logId()), l -> l.attempts == 1);
        assertEquals(DeliveryStatus.PENDING, log.status, "the current claim's retry, not the stale success");
        assertEquals(503, log.responseStatus);
        assertEquals(current.claimToken(), log.claimToken);
        await().atMost(WAIT).until(() -> inFlight.held() == 0);
    }

    @Test
    void aDeliveryClaimedTooLongAgo_isGivenBackUnsent() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            UUID eventRef = pendingEvent(receiver.url("/late"));
            Delivery claimed = claimOne(eventRef);
            Delivery late = claimed.claimedAt(claimed.claimedAtNanos() - Duration.ofMinutes(10).toNanos());

            dispatcher.dispatch(List.of(late));

            // given back unsent and due at once
            DeliveryLog givenBack = await().atMost(WAIT).until(() -> logOf(claimed.logId()), l -> l.leaseUntil == null);
            assertEquals(DeliveryStatus.PENDING, givenBack.status);
            assertEquals(0, givenBack.attempts);
            assertTrue(!givenBack.nextAttemptAt.isAfter(Instant.now()), "due now, was " + givenBack.nextAttemptAt);
            assertEquals(0, receiver.count());

            // so the due poller claims it anew and sends it: once in all
            duePoller.poll();
            DeliveryLog log = await().atMost(WAIT).until(() -> logOf(claimed.logId()),
                    l -> l.status == DeliveryStatus.SUCCESS);
            assertEquals(1, log.attempts);
            assertNotEquals(late.claimToken(), log.claimToken);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> receiver.count() == 1);
        }
    }

    @Test
    void anOpenCircuit_putsTheLogBack_withoutCountingAnAttempt() {
        UUID eventRef = pendingEvent("https://hooks.example.invalid/open");
        Delivery claimed = claimOne(eventRef);

        recorder.record(claimed, AttemptOutcome.notAttempted(DestinationBreakers.CIRCUIT_OPEN, Duration.ofSeconds(30)));

        DeliveryLog log = await().atMost(WAIT).until(() -> logOf(claimed.logId()), l -> l.leaseUntil == null);
        assertEquals(DeliveryStatus.PENDING, log.status);
        assertEquals(0, log.attempts);
        assertNull(log.processedAt);
        assertTrue(log.nextAttemptAt.isAfter(Instant.now().plusSeconds(20)), "waits for the breaker's delay");
    }

    @Test
    void anOrderedDestination_givesOnlyTheHeadOfItsQueue_andNeverPassesOverAHeldHead() {
        Tenant tenant = Tenant.create();
        UUID destination = tenant.destination("https://hooks.example.invalid/fifo", DeliveryMethod.POST, Map.of()).id;
        sql("UPDATE destinations SET ordering = 'fifo' WHERE id = '" + destination + "'");
        List<UUID> events = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            UUID event = LogFixtures.pendingEvent(tenant.accountId(), "queued-" + i, "{}", Instant.now().plusSeconds(600));
            sql("UPDATE delivery_logs SET fifo_seq = nextval('delivery_logs_fifo_seq') WHERE event_ref = '" + event + "'");
            events.add(event);
        }

        // the consumer of a message naming all three may take the first only
        assertEquals(3, inFlight.reserve(3));
        List<Delivery> first = claims.claimNew(events, 3);
        inFlight.release(3 - first.size());
        assertEquals(1, first.size());
        assertEquals("queued-1", first.get(0).eventId());
        assertTrue(first.get(0).ordered());

        // while it is held, nothing behind it goes, even when due
        assertEquals(List.of(), claims.claimNextHeads(List.of(destination), 3));
        sql("UPDATE delivery_logs SET next_attempt_at = now() WHERE destination_id = '" + destination + "'");
        List<Delivery> dueHeads = claims.claimDueHeads(100);
        claims.release(dueHeads); // heads of other tests' destinations, if any
        assertTrue(dueHeads.stream().noneMatch(d -> d.destinationId().equals(destination)), dueHeads.toString());
        List<Delivery> due = claims.claimDue(100);
        claims.release(due);
        assertTrue(due.stream().noneMatch(d -> d.destinationId().equals(destination)),
                "the due poller's unordered claim leaves ordered logs alone");

        // once it has ended, the next one is the head
        sql("UPDATE delivery_logs SET status = 'success', lease_until = NULL, processed_at = now() WHERE id = '"
                + first.get(0).logId() + "'");
        inFlight.release(1);
        List<Delivery> next = claims.claimNextHeads(List.of(destination), 3);
        assertEquals(List.of("queued-2"), next.stream().map(Delivery::eventId).toList());
        claims.release(next);
    }

    private Delivery claimOne(UUID eventRef) {
        assertEquals(1, inFlight.reserve(1));
        List<Delivery> claimed = claims.claimNew(List.of(eventRef), 1);
        assertEquals(1, claimed.size());
        return claimed.get(0);
    }

    private static UUID pendingEvent(String url) {
        Tenant tenant = Tenant.create();
        tenant.destination(url, DeliveryMethod.POST, Map.of());
        return LogFixtures.pendingEvent(tenant.accountId(), "evt-" + UUID.randomUUID(), "{}",
                Instant.now().plusSeconds(600));
    }

    private static DeliveryLog logOf(UUID logId) {
        return QuarkusTransaction.requiringNew().call(() -> DeliveryLog.<DeliveryLog> findById(logId));
    }

    private static void sql(String statement) {
        QuarkusTransaction.requiringNew()
                .run(() -> DeliveryLog.getEntityManager().createNativeQuery(statement).executeUpdate());
    }
}
