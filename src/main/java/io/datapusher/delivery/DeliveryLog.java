package io.datapusher.delivery;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.LockModeType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.hibernate.jpa.HibernateHints;

import io.datapusher.common.QueryFilter;
import io.datapusher.ingest.Event;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The state of one event's delivery to one destination: status, attempts so far, the last
 * answer, and when the next attempt is due. Exactly one per (event, destination).
 */
@Entity
@Table(name = "delivery_logs")
public class DeliveryLog extends PanacheEntityBase {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "event_ref", nullable = false, updatable = false)
    public Event event;

    @Column(name = "account_id", nullable = false, updatable = false)
    public UUID accountId;

    @Column(name = "destination_id", nullable = false, updatable = false)
    public UUID destinationId;

    /** The client's CL-X-EVENT-ID, copied so the logs can be filtered by it. */
    @Column(name = "event_id", nullable = false, updatable = false, length = 255)
    public String eventId;

    @Convert(converter = StatusConverter.class)
    @Column(nullable = false, length = 16)
    public DeliveryStatus status;

    @Column(nullable = false)
    public int attempts;

    /** Attempts allowed in total; a redelivery raises it by the configured maximum. */
    @Column(name = "attempt_limit", nullable = false)
    public int attemptLimit;

    @Column(name = "response_status")
    public Integer responseStatus;

    /** The start of the last answer's body. */
    @Column(name = "response_body", length = 256)
    public String responseBody;

    /** How long the last attempt took, connect to the end of what was read. */
    @Column(name = "duration_ms")
    public Integer durationMs;

    @Column(length = 500)
    public String error;

    /** When the event was received, copied from it so logs sort and filter without a join. */
    @Column(name = "received_at", nullable = false, updatable = false)
    public Instant receivedAt;

    /** When the last attempt ended; null while pending. */
    @Column(name = "processed_at")
    public Instant processedAt;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** A worker holds the log until then; another may take it over after. */
    @Column(name = "lease_until")
    public Instant leaseUntil;

    /** Set by each claim; an outcome is written only with the current one (DeliveryClaims). */
    @Column(name = "claim_token")
    public UUID claimToken;

    /**
     * Its place in its destination's queue when the destination was {@code fifo} as the event was
     * accepted (ingest writes it); null for an unordered delivery.
     */
    @Column(name = "fifo_seq", insertable = false)
    public Long fifoSeq;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /**
     * One page of an account's logs, newest first (received_at desc, id desc), starting after
     * {@code after} when given, with each event (its payload) fetched in the same statement.
     * Every filter is a plain comparison so that PostgreSQL can use the V8 indexes: the account's
     * (received_at, id) index, or the one of destination, status, event id or processed_at
     * (bench/logs-explain.sh shows which one each filter gets).
     */
    public static List<DeliveryLog> listPage(UUID accountId, LogFilter filter, LogCursor after, int limit) {
        QueryFilter where = QueryFilter.where("l.accountId = ?", accountId)
                .and("l.destinationId = ?", filter.destinationId())
                .and("l.status = ?", filter.status())
                .and("l.eventId = ?", filter.eventId())
                .and("l.receivedAt >= ?", filter.receivedFrom())
                .and("l.receivedAt < ?", filter.receivedTo())
                .and("l.processedAt >= ?", filter.processedFrom())
                .and("l.processedAt < ?", filter.processedTo())
                .and("l.receivedAt < ?", filter.receivedBeforeImpliedByProcessedTo());
        StringBuilder query = new StringBuilder("from DeliveryLog l join fetch l.event where ").append(where.query());
        Object[] params = where.params();
        if (after != null) {
            // A row comparison, not "a < x or (a = x and b < y)": PostgreSQL turns it into one
            // index range, so a deep page costs what the first one does.
            int n = params.length;
            query.append(" and (l.receivedAt, l.id) < (?").append(n + 1).append(", ?").append(n + 2).append(')');
            params = Arrays.copyOf(params, n + 2);
            params[n] = after.receivedAt();
            params[n + 1] = after.id();
        }
        query.append(" order by l.receivedAt desc, l.id desc");
        return find(query.toString(), params)
                .withHint(HibernateHints.HINT_READ_ONLY, true)
                .range(0, limit - 1)
                .list();
    }

    /** One log of the account, with its event fetched; empty when it is not in that account. */
    public static Optional<DeliveryLog> findInAccount(UUID accountId, UUID logId) {
        return find("from DeliveryLog l join fetch l.event where l.accountId = ?1 and l.id = ?2", accountId, logId)
                .withHint(HibernateHints.HINT_READ_ONLY, true)
                .firstResultOptional();
    }

    /**
     * One log of the account, row-locked until the transaction ends, so that a worker's claim and
     * a redelivery cannot interleave.
     */
    public static Optional<DeliveryLog> findInAccountForUpdate(UUID accountId, UUID logId) {
        return find("accountId = ?1 and id = ?2", accountId, logId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    /**
     * How many logs of the account ended (processed_at) in each minute from {@code since}, by status:
     * rows of (minute start in epoch seconds, status code, count), at most one per minute and status. The account's
     * (account_id, processed_at) index bounds the scan to the window.
     */
    public static List<Object[]> countEndedPerMinute(UUID accountId, Instant since) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                SELECT CAST(extract(epoch FROM date_trunc('minute', processed_at)) AS bigint) AS minute, status, count(*)
                FROM delivery_logs
                WHERE account_id = ?1 AND processed_at >= ?2
                GROUP BY 1, 2""")
                .setParameter(1, accountId).setParameter(2, since)
                .getResultList();
        return rows;
    }

    /**
     * The first pending delivery in an ordered destination's queue, the one the others wait for;
     * empty when none is pending. One probe of the fifo queue index.
     */
    public static Optional<DeliveryLog> queueHead(UUID destinationId) {
        // Native, with the index's own predicate written out: a bound status would not match it.
        @SuppressWarnings("unchecked")
        List<DeliveryLog> head = getEntityManager().createNativeQuery("""
                SELECT * FROM delivery_logs
                WHERE destination_id = ?1 AND status = 'pending' AND fifo_seq IS NOT NULL
                ORDER BY fifo_seq LIMIT 1""", DeliveryLog.class)
                .setParameter(1, destinationId)
                .getResultList();
        return head.stream().findFirst();
    }

    /** Takes the destination's pending deliveries out of its order, so they go at once, unordered. */
    public static int leaveOrder(UUID destinationId) {
        return getEntityManager().createNativeQuery("""
                UPDATE delivery_logs SET fifo_seq = NULL, updated_at = now()
                WHERE destination_id = ?1 AND status = 'pending' AND fifo_seq IS NOT NULL""")
                .setParameter(1, destinationId)
                .executeUpdate();
    }

    /** Waits behind an earlier pending delivery of its ordered destination. */
    public boolean waitsBehind(DeliveryLog head) {
        return status == DeliveryStatus.PENDING && fifoSeq != null && head.fifoSeq < fifoSeq;
    }

    /** A worker holds this log right now: it was claimed and the lease has not run out. */
    public boolean isInFlight(Instant now) {
        return status == DeliveryStatus.PENDING && leaseUntil != null && leaseUntil.isAfter(now);
    }

    /**
     * What sending a log again means, for one log or many: back to {@code pending}, due at once, no
     * lease, no claim (a holder whose lease lapsed may still be sending: its outcome is no longer
     * written), no end time, and {@code ?1} more attempts on top of those already made (attempts
     * are counted on, not reset). The last response status and error stay until the next attempt
     * replaces them. It keeps its first place in its destination's queue while the destination is
     * {@code fifo}; otherwise it leaves it, since a place no poller reads would hold it forever.
     */
    private static final String REDELIVER = """
            UPDATE delivery_logs
            SET status = 'pending', next_attempt_at = now(), lease_until = NULL, claim_token = NULL,
                processed_at = NULL, attempt_limit = attempts + ?1, updated_at = now(),
                fifo_seq = CASE WHEN EXISTS (SELECT 1 FROM destinations d
                                             WHERE d.id = delivery_logs.destination_id AND d.ordering = 'fifo')
                                THEN fifo_seq END
            """;

    /**
     * {@link #REDELIVER} for every log of the destination in the window with that status, in one
     * UPDATE (the destination_id, received_at index finds them); answers how many.
     */
    public static long recover(UUID destinationId, DeliveryStatus status, Instant since, Instant until,
            int maxAttempts) {
        var update = getEntityManager()
                .createNativeQuery(REDELIVER + "WHERE destination_id = ?2 AND status = ?3 AND received_at >= ?4"
                        + (until == null ? "" : " AND received_at < ?5"))
                .setParameter(1, maxAttempts).setParameter(2, destinationId).setParameter(3, status.code())
                .setParameter(4, since);
        if (until != null) {
            update.setParameter(5, until);
        }
        return update.executeUpdate();
    }

    /** {@link #REDELIVER} for this log. Callers check {@link #isInFlight} first, holding the row lock. */
    public static void redeliver(UUID logId, int maxAttempts) {
        getEntityManager().createNativeQuery(REDELIVER + "WHERE id = ?2")
                .setParameter(1, maxAttempts).setParameter(2, logId)
                .executeUpdate();
    }

    @Converter
    public static class StatusConverter implements AttributeConverter<DeliveryStatus, String> {
        @Override
        public String convertToDatabaseColumn(DeliveryStatus status) {
            return status == null ? null : status.code();
        }

        @Override
        public DeliveryStatus convertToEntityAttribute(String code) {
            return code == null ? null : DeliveryStatus.fromCode(code);
        }
    }
}
