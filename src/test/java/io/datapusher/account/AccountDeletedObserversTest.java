package io.datapusher.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.datapusher.destination.Destination;
import io.datapusher.member.AccountMember;
import io.datapusher.testing.Api;
import io.datapusher.testing.Destinations;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The service removes an account's rows in code, not only through the foreign keys' ON DELETE
 * CASCADE: firing {@link AccountDeleted} alone, with the account row left in place (so no
 * cascade can run), empties its destinations and members.
 */
@QuarkusTest
class AccountDeletedObserversTest {

    @Inject
    Event<AccountDeleted> accountDeleted;

    @Test
    void accountDeleted_observersRemoveDestinationsAndMembers_withoutTheCascade() {
        String admin = Api.newUserToken("observed");
        UUID account = UUID.fromString(Api.createAccount(admin, "Observed"));
        Destinations.create(admin, account.toString(), "https://hooks.example.com/a");
        Destinations.create(admin, account.toString(), "https://hooks.example.com/b");
        Api.addMember(admin, account.toString(), Api.uniqueEmail("observed-normal"), "normal");
        UUID other = UUID.fromString(Api.createAccount(admin, "Bystander"));
        Destinations.create(admin, other.toString(), "https://hooks.example.com/c");
        assertEquals(2, destinations(account));
        assertEquals(2, members(account));

        QuarkusTransaction.requiringNew().run(() -> accountDeleted.fire(new AccountDeleted(account, "unused")));

        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> Account.count("id", account)),
                "the account row is still there, so nothing cascaded");
        assertEquals(0, destinations(account));
        assertEquals(0, members(account));
        assertEquals(1, destinations(other));
        assertEquals(1, members(other));
    }

    @Test
    void accountDeleted_dropsCachedRoles_soTheFormerAdminIsNotFoundAtOnce() {
        String admin = Api.newUserToken("observed-cache");
        UUID account = UUID.fromString(Api.createAccount(admin, "Cached"));
        Api.as(admin).get("/accounts/{a}", account).then().statusCode(200); // role now cached

        QuarkusTransaction.requiringNew().run(() -> accountDeleted.fire(new AccountDeleted(account, "unused")));

        Api.as(admin).get("/accounts/{a}", account).then().statusCode(404);
    }

    private static long destinations(UUID account) {
        return QuarkusTransaction.requiringNew().call(() -> Destination.count("accountId", account));
    }

    private static long members(UUID account) {
        return QuarkusTransaction.requiringNew().call(() -> AccountMember.count("accountId", account));
    }
}
