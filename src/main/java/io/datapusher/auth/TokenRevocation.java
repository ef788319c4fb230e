package io.datapusher.auth;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.datapusher.platform.NotReadyToWork;
import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Revocation by {@code jti}, stored in PostgreSQL so every replica honours a logout. The check is
 * cached for at most 1 s (see application.properties), which bounds how late another replica
 * can notice.
 */
@ApplicationScoped
public class TokenRevocation {

    @CacheResult(cacheName = "revoked-token")
    @Transactional
    public boolean isRevoked(@CacheKey String jti) {
        return RevokedToken.isRevoked(jti);
    }

    @CacheInvalidate(cacheName = "revoked-token")
    @Transactional
    public void revoke(@CacheKey String jti, Instant expiresAt) {
        RevokedToken.revoke(jti, expiresAt);
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
