package io.datapusher.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.datapusher.destination.Destination;

/**
 * The state changes of delivery logs, each one short transaction. A log is attempted only by
 * whoever holds its lease ({@code lease_until} in the future): the consumer that created it, or
 * the retry poller that claimed it. An outcome is written only if no one else wrote one since the
 * claim ({@code attempts} unchanged), and only while the log is pending, so a log that succeeded
 * is never attempted again.
 */
@ApplicationScoped
public class DeliveryLogs {

    /** One log per destination of the account; the first {@code reserved} ones leased to the caller. */
    private static final String CREATE_LOGS = """
            INSERT INTO delivery_logs (id, event_ref, account_id, destination_id, event_id, status, attempts,
                                       attempt_limit, received_at, next_attempt_at, lease_until, created_at, updated_at)
            SELECT gen_random_uuid(), e.id, e.account_id, d.id, e.event_id, 'pending', 0, :limit, e.received_at, now(),
                   CASE WHEN d.rank <= :reserved THEN now() + make_interval(secs => :lease) END, now(), now()
            FROM events e,
                 (SELECT id, row_number() OVER (ORDER BY created_at, id) AS rank
                  FROM destinations WHERE account_id = :account) d
            WHERE e.id = :event
            ON CONFLICT (event_ref, destination_id) DO NOTHING
            RETURNING id, destination_id, lease_until IS NOT NULL""";

    private static final String CLAIM_DUE = """
            UPDATE delivery_logs SET lease_until = now() + make_interval(secs => :lease), updated_at = now()
            WHERE id IN (SELECT id FROM delivery_logs
                         WHERE status = 'pending' AND next_attempt_at <= now()
                           AND (lease_until IS NULL OR lease_until < now())
                         ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
            RETURNING id, event_ref, destination_id, event_id, attempts, attempt_limit""";

    private static final String RECORD = """
            UPDATE delivery_logs
            SET status = :status, attempts = attempts + 1, response_status = NULLIF(:responseStatus, -1),
                error = NULLIF(:error, ''),
                processed_at = CASE WHEN :status = 'pending' THEN NULL ELSE clock_timestamp() END,
                next_attempt_at = CASE WHEN :status = 'pending'
                                       THEN clock_timestamp() + make_interval(secs => :delay) END,
                lease_until = NULL, updated_at = clock_timestamp()
            WHERE id = :id AND status = 'pending' AND attempts = :attempts
            RETURNING EXTRACT(EPOCH FROM clock_timestamp() - received_at)""";

    private final int maxAttempts;
    private final double leaseSeconds;

    DeliveryLogs(DeliveryConfig config) {
        this.maxAttempts = config.maxAttempts();
        // Long enough for DNS, the attempt's deadline and writing the outcome; a replica that
        // died mid-attempt lets another take the log over after it.
        this.leaseSeconds = config.timeout().multipliedBy(2).plusSeconds(10).toMillis() / 1000.0;
    }

    /** What the consumer found for an event id. */
    public sealed interface FanOut {
        /** No such event (e.g. a message left by another database): acknowledge and drop. */
        record Unknown() implements FanOut {
        }

        /** Its logs were made by an earlier copy of the message. */
        record AlreadyStarted() implements FanOut {
        }

        /** Logs were made; {@code leased} are the caller's to attempt now, the rest wait for the poller. */
        record Started(int logs, List<Delivery> leased) implements FanOut {
        }
    }

    /**
     * Starts an event's delivery: marks it started and makes one pending log per destination of
     * its account, all in one transaction, so that a message is acknowledged only after its logs
     * exist, and a second copy of it makes none.
     *
     * @param reserve given the number of destinations, takes in-flight slots and answers how many
     *        it got: that many logs are leased to the caller
     */
    @Transactional
    public FanOut fanOut(UUID eventRef, IntUnaryOperator reserve) {
        EntityManager em = DeliveryLog.getEntityManager();
        List<?> started = em.createNativeQuery("""
                UPDATE events SET delivery_started_at = now()
                WHERE id = :id AND delivery_started_at IS NULL
                RETURNING account_id, event_id, payload""")
                .setParameter("id", eventRef).getResultList();
        if (started.isEmpty()) {
            boolean exists = !em.createNativeQuery("SELECT 1 FROM events WHERE id = :id")
                    .setParameter("id", eventRef).getResultList().isEmpty();
            return exists ? new FanOut.AlreadyStarted() : new FanOut.Unknown();
        }
        Object[] event = (Object[]) started.get(0);
        UUID accountId = uuid(event[0]);
        String eventId = (String) event[1];
        byte[] payload = (byte[]) event[2];

        Map<UUID, Destination> destinations = Destination.listByAccount(accountId).stream()
                .collect(Collectors.toMap(d -> d.id, Function.identity()));
        if (destinations.isEmpty()) {
            return new FanOut.Started(0, List.of());
        }
        int reserved = reserve.applyAsInt(destinations.size());
        List<?> created = em.createNativeQuery(CREATE_LOGS)
                .setParameter("event", eventRef)
                .setParameter("account", accountId)
                .setParameter("limit", maxAttempts)
                .setParameter("reserved", reserved)
                .setParameter("lease", leaseSeconds)
                .getResultList();
        List<Delivery> leased = new ArrayList<>();
        for (Object row : created) {
            Object[] columns = (Object[]) row;
            Destination destination = destinations.get(uuid(columns[1]));
            // A destination made after the list above has a log too; its lease runs out and the poller takes it.
            if (Boolean.TRUE.equals(columns[2]) && destination != null) {
                leased.add(Delivery.of(uuid(columns[0]), eventId, 0, maxAttempts, destination, payload));
            }
        }
        return new FanOut.Started(created.size(), leased);
    }

    /**
     * Leases up to {@code limit} pending logs whose next attempt is due and that no one holds;
     * other replicas skip the rows locked here.
     */
    @Transactional
    public List<Delivery> claimDue(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        EntityManager em = DeliveryLog.getEntityManager();
        List<?> rows = em.createNativeQuery(CLAIM_DUE)
                .setParameter("lease", leaseSeconds)
                .setParameter("limit", limit)
                .getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Object[]> claimed = rows.stream().map(r -> (Object[]) r).toList();
        List<UUID> eventRefs = claimed.stream().map(r -> uuid(r[1])).distinct().toList();
        List<UUID> destinationIds = claimed.stream().map(r -> uuid(r[2])).distinct().toList();
        Map<UUID, byte[]> payloads = new HashMap<>();
        for (Object row : em.createNativeQuery("SELECT id, payload FROM events WHERE id IN (:ids)")
                .setParameter("ids", eventRefs).getResultList()) {
            Object[] columns = (Object[]) row;
            payloads.put(uuid(columns[0]), (byte[]) columns[1]);
        }
        Map<UUID, Destination> destinations = Destination.<Destination> list("id in ?1", destinationIds).stream()
                .collect(Collectors.toMap(d -> d.id, Function.identity()));
        List<Delivery> deliveries = new ArrayList<>();
        for (Object[] row : claimed) {
            Destination destination = destinations.get(uuid(row[2]));
            byte[] payload = payloads.get(uuid(row[1]));
            if (destination != null && payload != null) {
                deliveries.add(Delivery.of(uuid(row[0]), (String) row[3], ((Number) row[4]).intValue(),
                        ((Number) row[5]).intValue(), destination, payload));
            }
        }
        return deliveries;
    }

    /** The log's state after an attempt, and for a success the seconds from receipt to delivery. */
    public record Recorded(DeliveryStatus status, Double latencySeconds) {
    }

    /**
     * Writes an attempt's outcome: success, failed (not retryable, or the last attempt allowed),
     * or pending again with the next attempt after {@code delay}.
     *
     * @return null when the outcome was not written: the log was taken over or finished meanwhile
     */
    @Transactional
    public Recorded record(Delivery delivery, AttemptOutcome outcome, Duration delay) {
        DeliveryStatus status = statusAfter(delivery, outcome);
        List<?> written = DeliveryLog.getEntityManager().createNativeQuery(RECORD)
                .setParameter("status", status.code())
                .setParameter("responseStatus", outcome.responseStatus() == null ? -1 : outcome.responseStatus())
                .setParameter("error", outcome.error() == null ? "" : truncate(outcome.error()))
                .setParameter("delay", delay.toMillis() / 1000.0)
                .setParameter("id", delivery.logId())
                .setParameter("attempts", delivery.attempts())
                .getResultList();
        if (written.isEmpty()) {
            return null;
        }
        Object latency = written.get(0);
        return new Recorded(status, status == DeliveryStatus.SUCCESS && latency != null
                ? ((Number) latency).doubleValue()
                : null);
    }

    /** Gives leases back without an attempt (e.g. on shutdown), so that the poller takes them at once. */
    @Transactional
    public void release(List<UUID> logIds) {
        if (!logIds.isEmpty()) {
            DeliveryLog.getEntityManager().createNativeQuery(
                    "UPDATE delivery_logs SET lease_until = NULL WHERE id IN (:ids) AND status = 'pending'")
                    .setParameter("ids", logIds).executeUpdate();
        }
    }

    /** Pending logs that have been attempted at least once (the partial index on pending logs). */
    @Transactional
    public long countWaitingRetries() {
        Object count = DeliveryLog.getEntityManager()
                .createNativeQuery("SELECT count(*) FROM delivery_logs WHERE status = 'pending' AND attempts > 0")
                .getSingleResult();
        return ((Number) count).longValue();
    }

    static DeliveryStatus statusAfter(Delivery delivery, AttemptOutcome outcome) {
        return switch (outcome.kind()) {
            case SUCCESS -> DeliveryStatus.SUCCESS;
            case FAIL -> DeliveryStatus.FAILED;
            case RETRY -> delivery.attempts() + 1 >= delivery.attemptLimit() ? DeliveryStatus.FAILED
                    : DeliveryStatus.PENDING;
        };
    }

    private static String truncate(String error) {
        return error.length() <= 500 ? error : error.substring(0, 500);
    }

    static UUID uuid(Object value) {
        return value instanceof UUID id ? id : UUID.fromString(value.toString());
    }
}
