package io.datapusher.console;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.account.AccountResponse;
import io.datapusher.account.AccountService;
import io.datapusher.member.AccountOperation;
import io.datapusher.member.Memberships;
import io.datapusher.member.RoleCode;

/** Loads the account a console page is about, after the role table allowed the page's operation. */
@ApplicationScoped
public class AccountViews {
    private final AccountService accounts;
    private final Memberships memberships;

    AccountViews(AccountService accounts, Memberships memberships) {
        this.accounts = accounts;
        this.memberships = memberships;
    }

    /**
     * The account as the user's role lets them see it (the token for admins only). A non-member gets
     * 404, a member whose role does not allow {@code operation} 403, exactly as in the API.
     */
    AccountView require(UUID accountId, ConsoleUser user, AccountOperation operation) {
        RoleCode role = memberships.require(accountId, user.id(), operation);
        return new AccountView(AccountResponse.of(accounts.get(accountId), role == RoleCode.ADMIN), role);
    }
}
