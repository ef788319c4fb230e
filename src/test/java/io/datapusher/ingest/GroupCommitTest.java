package io.datapusher.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.testing.Tenant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The group commit on the real PostgreSQL: many requests submitted at once are written together
 * (batches form by themselves while one is being written), and each answer is the one a request
 * alone would get: the rate limit per account in arrival order, duplicates within one batch, an
 * account deleted after its token was looked up, and one log per destination of each new event.
 */
@QuarkusTest
class GroupCommitTest {
    private static final byte[] BODY = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);

    @Inject
    GroupCommit groupCommit;

    @Test
    void manyRequestsOfOneAccountAtOnce_admitABucketful_andTheRestAreLimited() throws Exception {
        Tenant tenant = Tenant.create();
        List<CompletableFuture<Intake>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(groupCommit.submit(tenant.accountId(), "burst-" + i, BODY).toCompletableFuture());
        }
        long accepted = 0;
        for (CompletableFuture<Intake> answer : answers) {
            Intake intake = answer.get(10, TimeUnit.SECONDS);
            if (intake instanceof Intake.Accepted a) {
                assertTrue(!a.duplicate());
                accepted++;
            } else {
                Intake.Limited limited = assertInstanceOf(Intake.Limited.class, intake);
                assertTrue(limited.retryAfterSeconds() >= 1);
            }
        }
        // a full bucket of 5, plus at most what refilled while the batches were written (well under a second)
        assertTrue(accepted >= 5 && accepted <= 9, accepted + " accepted");
        assertEquals(accepted, events(tenant.accountId()));
    }

    @Test
    void theSameEventIdTwiceInOneGo_storesOne_andTheOtherIsADuplicate() throws Exception {
        Tenant tenant = Tenant.create();
        CompletableFuture<Intake> first = groupCommit.submit(tenant.accountId(), "twice", BODY).toCompletableFuture();
        CompletableFuture<Intake> second = groupCommit.submit(tenant.accountId(), "twice", BODY).toCompletableFuture();
        Intake.Accepted a = assertInstanceOf(Intake.Accepted.class, first.get(10, TimeUnit.SECONDS));
        Intake.Accepted b = assertInstanceOf(Intake.Accepted.class, second.get(10, TimeUnit.SECONDS));
        assertEquals(1, (a.duplicate() ? 0 : 1) + (b.duplicate() ? 0 : 1), "exactly one of them is new");
        assertEquals(1, events(tenant.accountId()));
    }

    @Test
    void anAccountThatNoLongerExists_isGone_andNothingIsStored() throws Exception {
        UUID deleted = UUID.randomUUID();
        Intake intake = groupCommit.submit(deleted, "ghost", BODY).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertInstanceOf(Intake.AccountGone.class, intake);
        assertEquals(0, events(deleted));
    }

    @Test
    void requestsOfManyAccountsAtOnce_areEachStored_withALogPerDestination() throws Exception {
        List<Tenant> tenants = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Tenant tenant = Tenant.create();
            // due for the poller only in ten minutes, so nothing is attempted against these URLs here
            for (int d = 0; d < i % 3; d++) {
                tenant.destination("https://hooks.example.invalid/" + i + "/" + d, DeliveryMethod.POST, Map.of());
            }
            tenants.add(tenant);
        }
        List<CompletableFuture<Intake>> answers = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (Tenant tenant : tenants) {
                answers.add(groupCommit.submit(tenant.accountId(), "many-" + round, BODY).toCompletableFuture());
            }
        }
        for (CompletableFuture<Intake> answer : answers) {
            Intake.Accepted accepted = assertInstanceOf(Intake.Accepted.class, answer.get(10, TimeUnit.SECONDS));
            assertTrue(!accepted.duplicate());
        }
        for (int i = 0; i < tenants.size(); i++) {
            UUID account = tenants.get(i).accountId();
            assertEquals(3, events(account));
            assertEquals(3L * (i % 3), logs(account), "one log per event and destination");
        }
    }

    private static long events(UUID accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Event.count("accountId", accountId));
    }

    private static long logs(UUID accountId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Event.getEntityManager()
                .createNativeQuery("SELECT count(*) FROM delivery_logs WHERE account_id = :a")
                .setParameter("a", accountId).getSingleResult()).longValue());
    }
}
