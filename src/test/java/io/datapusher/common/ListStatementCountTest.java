package io.datapusher.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.datapusher.testing.Destinations;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * No N+1: each list endpoint spends as many SQL statements on 30 rows as on 3. Counted with
 * Hibernate statistics around the HTTP call; the smallest of a few calls is taken, so that a
 * role or revocation lookup whose 1 s cache just expired does not count as part of the list.
 */
@QuarkusTest
class ListStatementCountTest {
    private static final int ATTEMPTS = 5;

    @Inject
    SessionFactory sessionFactory;

    @Test
    void accountsList_takesTheSameStatementsFor3And30Accounts() {
        String few = Api.newUserToken("n1-accounts-few");
        String many = Api.newUserToken("n1-accounts-many");
        for (int i = 0; i < 3; i++) {
            Api.createAccount(few, "Few " + i);
        }
        for (int i = 0; i < 30; i++) {
            Api.createAccount(many, "Many " + i);
        }

        Count forThree = count(() -> Api.as(few).queryParam("size", 100).get("/accounts").then().statusCode(200), 3);
        Count forThirty = count(() -> Api.as(many).queryParam("size", 100).get("/accounts").then().statusCode(200), 30);

        assertSame(forThree, forThirty);
    }

    @Test
    void destinationsList_takesTheSameStatementsFor3And30Destinations() {
        String admin = Api.newUserToken("n1-destinations");
        String few = Api.createAccount(admin, "Few destinations");
        String many = Api.createAccount(admin, "Many destinations");
        for (int i = 0; i < 3; i++) {
            Destinations.create(admin, few, "https://few.example.invalid/" + i);
        }
        for (int i = 0; i < 30; i++) {
            Destinations.create(admin, many, "https://many.example.invalid/" + i);
        }

        Count forThree = count(() -> Api.as(admin).queryParam("size", 100).get("/accounts/{a}/destinations", few)
                .then().statusCode(200), 3);
        Count forThirty = count(() -> Api.as(admin).queryParam("size", 100).get("/accounts/{a}/destinations", many)
                .then().statusCode(200), 30);

        assertSame(forThree, forThirty);
    }

    @Test
    void membersList_takesTheSameStatementsFor3And30Members() {
        String admin = Api.newUserToken("n1-members");
        String few = Api.createAccount(admin, "Few members");
        String many = Api.createAccount(admin, "Many members");
        for (int i = 0; i < 2; i++) {
            Api.addMember(admin, few, Api.uniqueEmail("n1-few"), "normal");
        }
        for (int i = 0; i < 29; i++) {
            Api.addMember(admin, many, Api.uniqueEmail("n1-many"), i % 2 == 0 ? "normal" : "admin");
        }

        Count forThree = count(() -> Api.as(admin).queryParam("size", 100).get("/accounts/{a}/members", few)
                .then().statusCode(200), 3);
        Count forThirty = count(() -> Api.as(admin).queryParam("size", 100).get("/accounts/{a}/members", many)
                .then().statusCode(200), 30);

        assertSame(forThree, forThirty);
    }

    private static void assertSame(Count forThree, Count forThirty) {
        assertTrue(forThree.statements() > 0, "statistics must be on (quarkus.hibernate-orm.statistics)");
        assertEquals(forThree.statements(), forThirty.statements(), "statements for 3 rows vs 30 rows");
        assertEquals(0, forThree.fetches(), "lazy loads for 3 rows");
        assertEquals(0, forThirty.fetches(), "lazy loads for 30 rows");
    }

    /** Statements and lazy entity loads of the cheapest of a few identical calls, each answering {@code rows} items. */
    private Count count(Supplier<ValidatableResponse> call, int rows) {
        Statistics stats = sessionFactory.getStatistics();
        assertTrue(stats.isStatisticsEnabled(), "Hibernate statistics are off");
        Count best = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            long statements = stats.getPrepareStatementCount();
            long fetches = stats.getEntityFetchCount();
            call.get().body("items.size()", org.hamcrest.Matchers.equalTo(rows));
            Count c = new Count(stats.getPrepareStatementCount() - statements, stats.getEntityFetchCount() - fetches);
            if (best == null || c.statements() < best.statements()) {
                best = c;
            }
        }
        return best;
    }

    private record Count(long statements, long fetches) {
    }
}
