package io.datapusher.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.datapusher.platform.NotReadyToWork;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Counts failed logins per email in PostgreSQL, so every replica sees the same count, and locks
 * an email once it has too many failures within the window.
 */
@ApplicationScoped
public class LoginThrottle {
    private final EntityManager em;
    private final AuthConfig config;

    LoginThrottle(EntityManager em, AuthConfig config) {
        this.em = em;
        this.config = config;
    }

    /** How long this email is still locked, if it is. */
    @Transactional
    public Optional<Duration> lockedFor(String email) {
        @SuppressWarnings("unchecked")
        List<Instant> lockedUntil = em.createNativeQuery(
                "SELECT locked_until FROM login_failures WHERE email = ?1 AND locked_until > now()", Instant.class)
                .setParameter(1, key(email))
                .getResultList();
        return lockedUntil.stream().findFirst().map(until -> Duration.between(Instant.now(), until));
    }

    /** Counts one failure in one statement; the last allowed failure sets the lock. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordFailure(String email) {
        em.createNativeQuery(
                """
                        INSERT INTO login_failures AS f (email, failures, window_start, locked_until)
                        VALUES (?1, 1, now(), CASE WHEN ?2 <= 1 THEN now() + make_interval(secs => ?3) END)
                        ON CONFLICT (email) DO UPDATE SET
                            failures = CASE WHEN f.window_start < now() - make_interval(secs => ?3) THEN 1 ELSE f.failures + 1 END,
                            window_start = CASE WHEN f.window_start < now() - make_interval(secs => ?3) THEN now() ELSE f.window_start END,
                            locked_until = CASE
                                WHEN (CASE WHEN f.window_start < now() - make_interval(secs => ?3) THEN 1 ELSE f.failures + 1 END) >= ?2
                                THEN now() + make_interval(secs => ?3) END
                        """)
                .setParameter(1, key(email))
                .setParameter(2, config.loginMaxFailures())
                .setParameter(3, (double) config.loginFailureWindow().toSeconds())
                .executeUpdate();
    }

    /** Rows whose window and lock have both ended count nothing any more. */
    @Scheduled(every = "1h", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NotReadyToWork.class)
    @Transactional
    void purgeEnded() {
        int purged = em.createNativeQuery("""
                DELETE FROM login_failures
                WHERE window_start < now() - make_interval(secs => ?1) AND (locked_until IS NULL OR locked_until < now())""")
                .setParameter(1, (double) config.loginFailureWindow().toSeconds())
                .executeUpdate();
        if (purged > 0) {
            Log.debugf("Purged %d ended login-failure counts", purged);
        }
    }

    @Transactional
    public void reset(String email) {
        em.createNativeQuery("DELETE FROM login_failures WHERE email = ?1").setParameter(1, key(email)).executeUpdate();
    }

    private static String key(String email) {
        String lower = email.toLowerCase(Locale.ROOT);
        return lower.length() > 254 ? lower.substring(0, 254) : lower;
    }
}
