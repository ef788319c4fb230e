package io.datapusher.account;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.datapusher.testing.Tenant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The in-memory token map follows changes made elsewhere (another replica, or SQL by hand) through
 * PostgreSQL's notifications, and a client trying many unknown tokens costs few database look-ups.
 */
@QuarkusTest
class AccountTokensTest {
    private static final Duration NOTIFIED = Duration.ofSeconds(5);

    @Inject
    AccountTokens tokens;

    @Test
    void aTokenRotatedElsewhere_isFollowed_withoutAskingTheDatabase() {
        Tenant tenant = Tenant.create();
        await().atMost(NOTIFIED).until(tokens::isComplete);
        assertEquals(new AccountTokens.Lookup.Known(tenant.accountId()), tokens.fromMemory(tenant.appToken()));

        String fresh = "rotated-elsewhere-" + UUID.randomUUID();
        sql("UPDATE accounts SET app_secret_token = '" + fresh + "' WHERE id = '" + tenant.accountId() + "'");

        await().atMost(NOTIFIED)
                .until(() -> tokens.fromMemory(fresh).equals(new AccountTokens.Lookup.Known(tenant.accountId())));
        assertTrue(!(tokens.fromMemory(tenant.appToken()) instanceof AccountTokens.Lookup.Known), "the old token stops");
    }

    @Test
    void anAccountDeletedElsewhere_losesItsToken() {
        Tenant tenant = Tenant.create();
        await().atMost(NOTIFIED).until(tokens::isComplete);
        sql("DELETE FROM accounts WHERE id = '" + tenant.accountId() + "'");

        await().atMost(NOTIFIED).until(() -> !(tokens.fromMemory(tenant.appToken()) instanceof AccountTokens.Lookup.Known));
    }

    @Test
    void manyUnknownTokens_areRefusedFromMemory_pastAFewLookupsASecond() {
        await().atMost(NOTIFIED).until(tokens::isComplete);
        int askedDatabase = 0;
        for (int i = 0; i < 200; i++) {
            AccountTokens.Lookup lookup = tokens.fromMemory("unknown-" + UUID.randomUUID());
            if (lookup instanceof AccountTokens.Lookup.AskDatabase) {
                askedDatabase++;
            } else {
                assertInstanceOf(AccountTokens.Lookup.Unknown.class, lookup);
            }
        }
        // the budget is 20 a second; the loop takes far less than a second
        assertTrue(askedDatabase <= 21, askedDatabase + " database look-ups for 200 unknown tokens");
    }

    private static void sql(String statement) {
        QuarkusTransaction.requiringNew()
                .run(() -> Account.getEntityManager().createNativeQuery(statement).executeUpdate());
    }
}
