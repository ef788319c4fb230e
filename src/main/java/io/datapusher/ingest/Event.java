package io.datapusher.ingest;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One accepted POST /server/incoming_data, with the exact bytes received. Also the transactional
 * outbox: {@code publishedAt} is null until the event was handed to the broker, and
 * {@code deliveryStartedAt} is null until a consumer began its fan-out.
 */
@Entity
@Table(name = "events")
public class Event extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false, updatable = false)
    public UUID accountId;

    /** The client's CL-X-EVENT-ID, unique per account. */
    @Column(name = "event_id", nullable = false, updatable = false, length = 255)
    public String eventId;

    @Column(nullable = false, updatable = false)
    public byte[] payload;

    @Column(name = "received_at", nullable = false, updatable = false)
    public Instant receivedAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "delivery_started_at")
    public Instant deliveryStartedAt;

    /**
     * Inserts the event unless the account already has one with this event id.
     *
     * @return whether it was new
     */
    public static boolean insertIfNew(UUID id, UUID accountId, String eventId, byte[] payload) {
        return !getEntityManager().createNativeQuery("""
                INSERT INTO events (id, account_id, event_id, payload, received_at)
                VALUES (:id, :account, :eventId, :payload, now())
                ON CONFLICT (account_id, event_id) DO NOTHING
                RETURNING id""")
                .setParameter("id", id)
                .setParameter("account", accountId)
                .setParameter("eventId", eventId)
                .setParameter("payload", payload)
                .getResultList().isEmpty();
    }

    /** Records that the broker took these events, unless that was already recorded. */
    public static int markPublished(Collection<UUID> ids) {
        return getEntityManager().createNativeQuery(
                "UPDATE events SET published_at = now() WHERE id IN (:ids) AND published_at IS NULL")
                .setParameter("ids", ids)
                .executeUpdate();
    }

    /** Lets the next sweep publish these events again, after a publish that was refused. */
    public static int forgetPublished(Collection<UUID> ids) {
        return getEntityManager().createNativeQuery(
                "UPDATE events SET published_at = NULL WHERE id IN (:ids) AND delivery_started_at IS NULL")
                .setParameter("ids", ids)
                .executeUpdate();
    }

    /**
     * Claims, for this sweep only (other replicas skip the locked rows, then see them as just
     * published), events committed but not handed over within the grace period. Marks them published.
     */
    @SuppressWarnings("unchecked")
    public static List<UUID> claimUnpublished(double graceSeconds, int limit) {
        return getEntityManager().createNativeQuery("""
                UPDATE events SET published_at = now()
                WHERE id IN (SELECT id FROM events
                             WHERE published_at IS NULL AND delivery_started_at IS NULL
                               AND received_at < now() - make_interval(secs => :grace)
                             ORDER BY received_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING id""", UUID.class)
                .setParameter("grace", graceSeconds)
                .setParameter("limit", limit)
                .getResultList();
    }

    /** Claims events handed over longer ago than the timeout whose delivery has not started. */
    @SuppressWarnings("unchecked")
    public static List<UUID> claimUnstarted(double timeoutSeconds, int limit) {
        return getEntityManager().createNativeQuery("""
                UPDATE events SET published_at = now()
                WHERE id IN (SELECT id FROM events
                             WHERE published_at IS NOT NULL AND delivery_started_at IS NULL
                               AND published_at < now() - make_interval(secs => :timeout)
                             ORDER BY published_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING id""", UUID.class)
                .setParameter("timeout", timeoutSeconds)
                .setParameter("limit", limit)
                .getResultList();
    }

    /** Events accepted but whose delivery has not started yet (both partial indexes). */
    public static long countBacklog() {
        Object unpublished = getEntityManager()
                .createNativeQuery("SELECT count(*) FROM events WHERE published_at IS NULL").getSingleResult();
        Object unstarted = getEntityManager().createNativeQuery(
                "SELECT count(*) FROM events WHERE published_at IS NOT NULL AND delivery_started_at IS NULL")
                .getSingleResult();
        return ((Number) unpublished).longValue() + ((Number) unstarted).longValue();
    }
}
