package io.datapusher.ingest;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Accepted requests per second per account, one budget for every replica: a token bucket per
 * account in PostgreSQL ({@code rate_limit_buckets}), refilled by elapsed time and taken from by
 * a single atomic upsert. The bucket holds at most one second's worth of tokens (burst = rate).
 */
@ApplicationScoped
public class RateLimiter {

    /**
     * Refills by the time since the last refill (never backwards, so a statement whose clock read
     * is older than the row's does not take extra), caps at the capacity, and takes one token
     * only if one is there. No row comes back when the bucket is empty.
     */
    private static final String TAKE = """
            INSERT INTO rate_limit_buckets AS b (account_id, tokens, refilled_at)
            VALUES (:account, :capacity - 1, clock_timestamp())
            ON CONFLICT (account_id) DO UPDATE
            SET tokens = LEAST(:capacity, b.tokens
                        + GREATEST(0, EXTRACT(EPOCH FROM excluded.refilled_at - b.refilled_at)) * :rate) - 1,
                refilled_at = GREATEST(b.refilled_at, excluded.refilled_at)
            WHERE LEAST(:capacity, b.tokens
                        + GREATEST(0, EXTRACT(EPOCH FROM excluded.refilled_at - b.refilled_at)) * :rate) >= 1
            RETURNING tokens""";

    private static final String AVAILABLE = """
            SELECT LEAST(:capacity, tokens
                        + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - refilled_at)) * :rate)
            FROM rate_limit_buckets WHERE account_id = :account""";

    private final double rate;
    private final double capacity;

    RateLimiter(IngestConfig config) {
        this.rate = config.ratePerSecond();
        this.capacity = Math.max(1.0, rate);
    }

    /**
     * Takes one token from the account's bucket, in the caller's transaction.
     *
     * @return 0 when a token was taken, else the whole seconds until one is there (at least 1)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long take(UUID accountId) {
        EntityManager em = Event.getEntityManager();
        boolean taken = !em.createNativeQuery(TAKE)
                .setParameter("account", accountId)
                .setParameter("capacity", capacity)
                .setParameter("rate", rate)
                .getResultList().isEmpty();
        if (taken) {
            return 0;
        }
        Object available = em.createNativeQuery(AVAILABLE)
                .setParameter("account", accountId)
                .setParameter("capacity", capacity)
                .setParameter("rate", rate)
                .getSingleResult();
        return secondsUntilToken(((Number) available).doubleValue(), rate);
    }

    static long secondsUntilToken(double available, double rate) {
        double missing = Math.max(0, 1.0 - available);
        return Math.max(1, (long) Math.ceil(missing / rate));
    }
}
