package io.datapusher.account;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import jakarta.inject.Inject;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.datapusher.testing.Destinations;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Deleting an account is one DELETE of its row: the foreign keys' ON DELETE CASCADE removes its
 * members, destinations, events, delivery logs and rate-limit bucket, whatever their number.
 */
@QuarkusTest
class AccountDeletionTest {

    @Inject
    AccountService accounts;

    @Inject
    SessionFactory sessionFactory;

    @Test
    void delete_isOneLookupAndOneDelete_andTheDatabaseRemovesEverythingBelow() {
        String admin = Api.newUserToken("cascade");
        UUID account = UUID.fromString(Api.createAccount(admin, "Cascaded"));
        for (int i = 0; i < 3; i++) {
            Destinations.create(admin, account.toString(), "https://hooks.example.invalid/" + i);
        }
        Api.addMember(admin, account.toString(), Api.uniqueEmail("cascade-normal"), "normal");
        receive(Api.appToken(admin, account.toString()), "cascade-1");
        UUID bystander = UUID.fromString(Api.createAccount(admin, "Bystander"));
        Destinations.create(admin, bystander.toString(), "https://hooks.example.invalid/kept");
        assertEquals(new Rows(2, 3, 1, 3, 1), rowsOf(account));
        Rows bystanderBefore = rowsOf(bystander);

        Statistics statistics = sessionFactory.getStatistics();
        statistics.clear();
        accounts.delete(account);

        assertEquals(2, statistics.getPrepareStatementCount(), "select the account, delete the account");
        assertEquals(1, statistics.getEntityDeleteCount());
        assertEquals(new Rows(0, 0, 0, 0, 0), rowsOf(account));
        assertEquals(bystanderBefore, rowsOf(bystander));
    }

    @Test
    void delete_dropsCachedRolesAfterCommit_soTheFormerAdminIsNotFoundAtOnce() {
        String admin = Api.newUserToken("cascade-cache");
        String account = Api.createAccount(admin, "Cached");
        Api.as(admin).get("/accounts/{a}", account).then().statusCode(200); // role now cached

        Api.as(admin).delete("/accounts/{a}", account).then().statusCode(204);

        Api.as(admin).get("/accounts/{a}", account).then().statusCode(404);
    }

    private static void receive(String appToken, String eventId) {
        given().header("CL-X-TOKEN", appToken).header("CL-X-EVENT-ID", eventId).contentType("application/json")
                .body("{\"n\":1}").post("/server/incoming_data").then().statusCode(202);
    }

    private record Rows(long members, long destinations, long events, long logs, long buckets) {
    }

    private static Rows rowsOf(UUID account) {
        return QuarkusTransaction.requiringNew().call(() -> new Rows(
                count("account_members", account), count("destinations", account), count("events", account),
                count("delivery_logs", account), count("rate_limit_buckets", account)));
    }

    private static long count(String table, UUID account) {
        return ((Number) Account.getEntityManager()
                .createNativeQuery("SELECT count(*) FROM " + table + " WHERE account_id = ?1")
                .setParameter(1, account).getSingleResult()).longValue();
    }
}
