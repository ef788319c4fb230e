package io.datapusher.auth;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.datapusher.common.AfterCommit;
import io.datapusher.platform.NotReadyToWork;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CacheResult;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Revocation by {@code jti}, stored in PostgreSQL so every replica honours a logout. Each replica
 * caches the answer per token; a logout forgets it here after commit, and on every other replica
 * through {@link RevokedTokenChannel} (V16's trigger), so a logged-out token is refused everywhere
 * at once.
 */
@ApplicationScoped
public class TokenRevocation {
    static final String CACHE = "revoked-token";

    private final Cache cache;
    private final AfterCommit afterCommit;

    TokenRevocation(@CacheName(CACHE) Cache cache, AfterCommit afterCommit) {
        this.cache = cache;
        this.afterCommit = afterCommit;
    }

    @CacheResult(cacheName = CACHE)
    @Transactional
    public boolean isRevoked(String jti) {
        return RevokedToken.isRevoked(jti);
    }

    @Transactional
    public void revoke(String jti, Instant expiresAt) {
        RevokedToken.revoke(jti, expiresAt);
        afterCommit.run(() -> forget(jti));
    }

    /** The next check of this token asks the database. */
    void forget(String jti) {
        cache.invalidate(jti).await().indefinitely();
    }

    /** Every cached answer goes: notifications may have been missed. */
    void forgetAll() {
        cache.invalidateAll().await().indefinitely();
    }

    /** Entries whose token has expired protect nothing any more. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NotReadyToWork.class)
    @Transactional
    void purgeExpired() {
        long purged = RevokedToken.deleteExpired(Instant.now());
        if (purged > 0) {
            Log.debugf("Purged %d expired revocations", purged);
        }
    }
}
