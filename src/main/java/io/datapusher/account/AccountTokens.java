package io.datapusher.account;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;

/**
 * Finds the account behind a CL-X-TOKEN. Cached for at most 1 s: a token rotated or deleted on
 * another replica stops working there within that bound, and here at once.
 */
@ApplicationScoped
public class AccountTokens {

    @CacheResult(cacheName = "account-by-token")
    @Transactional
    public Optional<UUID> accountIdFor(@CacheKey String token) {
        return Account.findByToken(token).map(a -> a.id);
    }

    @CacheInvalidate(cacheName = "account-by-token")
    public void forget(@CacheKey String token) {
        // the annotation does the work
    }
}
