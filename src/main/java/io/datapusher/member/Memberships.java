package io.datapusher.member;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.datapusher.common.ApiException;
import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheInvalidateAll;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;

/**
 * Who holds which role in which account. The lookup is cached for at most 1 s, so a role
 * change made on another replica is honoured within that bound; changes on this replica
 * invalidate at once.
 */
@ApplicationScoped
public class Memberships {
    static final String CACHE = "membership";

    /** The caller's role in the account, after checking it allows {@code operation}. */
    public RoleCode require(UUID accountId, UUID userId, AccountOperation operation) {
        RoleCode role = roleOf(accountId, userId).orElseThrow(ApiException::notFound);
        if (!operation.allows(role)) {
            throw ApiException.forbidden();
        }
        return role;
    }

    /** Whether the user is an admin of the account: decides who sees secrets. */
    public boolean isAdmin(UUID accountId, UUID userId) {
        return roleOf(accountId, userId).orElse(null) == RoleCode.ADMIN;
    }

    @CacheResult(cacheName = CACHE)
    @Transactional
    public Optional<RoleCode> roleOf(@CacheKey UUID accountId, @CacheKey UUID userId) {
        return AccountMember.findMembership(accountId, userId).map(m -> m.role.roleCode());
    }

    @CacheInvalidate(cacheName = CACHE)
    public void forget(@CacheKey UUID accountId, @CacheKey UUID userId) {
        // the annotation does the work
    }

    @CacheInvalidateAll(cacheName = CACHE)
    public void forgetAll() {
        // the annotation does the work
    }
}
