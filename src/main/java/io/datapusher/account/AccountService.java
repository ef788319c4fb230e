package io.datapusher.account;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.datapusher.auth.User;
import io.datapusher.common.AfterCommit;
import io.datapusher.common.ApiException;
import io.datapusher.common.PageRequest;
import io.datapusher.common.PageResponse;
import io.datapusher.member.AccountMember;
import io.datapusher.member.Memberships;
import io.datapusher.member.Role;
import io.datapusher.member.RoleCode;

@ApplicationScoped
public class AccountService {
    private final AccountTokens tokens;
    private final Memberships memberships;
    private final AfterCommit afterCommit;

    AccountService(AccountTokens tokens, Memberships memberships, AfterCommit afterCommit) {
        this.tokens = tokens;
        this.memberships = memberships;
        this.afterCommit = afterCommit;
    }

    /** Creates the account and makes its creator its admin. */
    @Transactional
    public Account create(AccountRequest request, UUID userId) {
        Account account = new Account();
        account.name = request.name().strip();
        account.website = request.website();
        account.appSecretToken = SecretTokens.newToken();
        account.createdBy(userId);
        account.persist();

        AccountMember admin = new AccountMember();
        admin.accountId = account.id;
        admin.user = User.getEntityManager().getReference(User.class, userId);
        admin.role = Role.of(RoleCode.ADMIN);
        admin.createdBy(userId);
        admin.persist();
        UUID accountId = account.id;
        String token = account.appSecretToken;
        afterCommit.run(() -> tokens.put(accountId, token));
        return account;
    }

    @Transactional
    public PageResponse<AccountResponse> list(UUID userId, AccountFilter filter, PageRequest page) {
        return PageResponse.of(Account.listForMember(userId, filter, page.toPanache()), page,
                Account.countForMember(userId, filter), a -> AccountResponse.of(a, false));
    }

    @Transactional
    public Account get(UUID accountId) {
        return Account.<Account> findByIdOptional(accountId).orElseThrow(ApiException::notFound);
    }

    @Transactional
    public Account update(UUID accountId, AccountRequest request, UUID userId) {
        Account account = get(accountId);
        account.name = request.name().strip();
        account.website = request.website();
        account.updatedBy(userId);
        account.flush();
        return account;
    }

    /**
     * Deletes the account; its members, destinations, events and logs go with it by the foreign
     * keys' ON DELETE CASCADE. What the database cannot do is forget what the caches hold.
     */
    @Transactional
    public void delete(UUID accountId) {
        get(accountId).delete();
        afterCommit.run(() -> {
            tokens.put(accountId, null);
            memberships.forgetAll();
        });
    }

    @Transactional
    public String rotateToken(UUID accountId, UUID userId) {
        Account account = get(accountId);
        account.appSecretToken = SecretTokens.newToken();
        account.updatedBy(userId);
        account.flush();
        String fresh = account.appSecretToken;
        afterCommit.run(() -> tokens.put(accountId, fresh));
        return fresh;
    }
}
