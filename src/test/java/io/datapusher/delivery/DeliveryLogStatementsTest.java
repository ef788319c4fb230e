package io.datapusher.delivery;

import static io.datapusher.delivery.LogFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import jakarta.inject.Inject;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import io.datapusher.delivery.LogFixtures.Admin;
import io.quarkus.test.junit.QuarkusTest;

/** The list reads each page, event payloads included, in one statement however long it is (no N+1). */
@QuarkusTest
class DeliveryLogStatementsTest {
    private static final LogFilter NO_FILTER = LogFilter.parse(null, null, null, null, null, null, null);

    @Inject
    SessionFactory sessionFactory;

    @Inject
    DeliveryLogService service;

    @Test
    void list_of3And30Logs_takesOneStatementEach_withNoLazyLoads() {
        Admin small = withLogs("three", 3);
        Admin large = withLogs("thirty", 30);

        long[] forThree = statementsToList(small.accountId(), 3);
        long[] forThirty = statementsToList(large.accountId(), 30);

        assertEquals(1, forThree[0], "statements for 3 logs");
        assertEquals(forThree[0], forThirty[0], "statements for 30 logs");
        assertEquals(0, forThree[1], "entity fetches for 3 logs");
        assertEquals(0, forThirty[1], "entity fetches for 30 logs");
    }

    @Test
    void get_oneLog_takesOneStatement() {
        Admin admin = withLogs("single", 1);
        UUID logId = service.list(admin.accountId(), NO_FILTER, null, 1).items().get(0).id();
        Statistics stats = sessionFactory.getStatistics();
        stats.clear();

        service.get(admin.accountId(), logId);

        assertEquals(1, stats.getPrepareStatementCount());
        assertEquals(0, stats.getEntityFetchCount());
    }

    private Admin withLogs(String prefix, int count) {
        Admin admin = LogFixtures.adminWithAccount(prefix);
        UUID destination = LogFixtures.destination(admin);
        for (int i = 0; i < count; i++) {
            LogFixtures.successAt(admin, destination, T0.plusSeconds(i));
        }
        return admin;
    }

    /** Prepared statements and entity fetches (lazy loads) spent on one list call, which maps every item. */
    private long[] statementsToList(UUID accountId, int expectedItems) {
        Statistics stats = sessionFactory.getStatistics();
        stats.clear();
        LogPage page = service.list(accountId, NO_FILTER, null, 50);
        long statements = stats.getPrepareStatementCount();
        long fetches = stats.getEntityFetchCount();
        assertEquals(expectedItems, page.items().size());
        return new long[] { statements, fetches };
    }
}
