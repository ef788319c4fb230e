package io.datapusher.destination;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.datapusher.common.AuditedEntity;
import io.datapusher.common.QueryFilter;
import io.quarkus.panache.common.Page;

/**
 * Where an account's events are delivered: a URL, a method, headers and a signing secret; whether
 * it is enabled, its health, and its optional filter, rate limit and
 * ordering. Updates write only the columns
 * that changed, so an edit never overwrites the health the outcome recorder keeps meanwhile.
 */
@Entity
@Table(name = "destinations")
@DynamicUpdate
public class Destination extends AuditedEntity {

    @Column(name = "account_id", nullable = false, updatable = false)
    public UUID accountId;

    @Column(nullable = false, length = 2048)
    public String url;

    @Enumerated(EnumType.STRING)
    @Column(name = "http_method", nullable = false, length = 8)
    public DeliveryMethod httpMethod;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, String> headers;

    /** Standard Webhooks secrets start with it; the key is the base64 after it. */
    public static final String SIGNING_SECRET_PREFIX = "whsec_";

    /** Standard Webhooks secret, {@code whsec_} and base64 of 24 random bytes. */
    @Column(name = "signing_secret", nullable = false, length = 128)
    public String signingSecret;

    /** The secret a rotation replaced; it signs deliveries beside the new one until it expires. */
    @Column(name = "previous_signing_secret", length = 128)
    public String previousSigningSecret;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    /** False: nothing is sent to it; its deliveries end {@code skipped} with {@link #disabledReason}. */
    @Column(nullable = false)
    public boolean enabled = true;

    @Column(name = "disabled_reason", length = 200)
    public String disabledReason;

    @Column(name = "disabled_at")
    public Instant disabledAt;

    /** Failed attempts since the last success (kept by the outcome recorder). */
    @Column(name = "consecutive_failures", nullable = false)
    public int consecutiveFailures;

    /** When the failures in a row began; null while the last attempt succeeded. */
    @Column(name = "failing_since")
    public Instant failingSince;

    @Column(name = "last_failure_at")
    public Instant lastFailureAt;

    @Column(name = "last_success_at")
    public Instant lastSuccessAt;

    /** Conditions on the event's JSON, all of which must hold for it to be sent; null sends every event. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public List<FilterCondition> filter;

    /** At most this many deliveries a second to it, over all replicas; null for no limit. */
    @Column(name = "max_per_second")
    public Integer maxPerSecond;

    @Convert(converter = DeliveryOrdering.Column.class)
    @Column(nullable = false, length = 16)
    public DeliveryOrdering ordering = DeliveryOrdering.UNORDERED;

    /** Sends again, with a clean health record (the failures that disabled it are over). */
    public void enable() {
        enabled = true;
        disabledReason = null;
        disabledAt = null;
        consecutiveFailures = 0;
        failingSince = null;
    }

    /** Stops sending to it; deliveries end {@code skipped} with this reason until it is enabled again. */
    public void disable(String reason, Instant now) {
        enabled = false;
        disabledReason = reason;
        disabledAt = now;
    }

    /**
     * A new secret; the one it replaces keeps signing, beside it, for {@code overlap}, so that a
     * receiver can switch to the new secret without a delivery it cannot verify.
     */
    public void rotateSigningSecret(String fresh, Instant now, Duration overlap) {
        previousSigningSecret = signingSecret;
        previousSecretExpiresAt = now.plus(overlap);
        signingSecret = fresh;
    }

    public static Optional<Destination> findInAccount(UUID accountId, UUID destinationId) {
        return find("accountId = ?1 and id = ?2", accountId, destinationId).firstResultOptional();
    }

    /** One page of an account's destinations, oldest first, for GET .../destinations. */
    public static List<Destination> listPage(UUID accountId, DestinationFilter filter, Page page) {
        QueryFilter where = where(accountId, filter);
        return find("from Destination d where " + where.query() + " order by d.createdAt, d.id", where.params())
                .page(page).list();
    }

    public static long countMatching(UUID accountId, DestinationFilter filter) {
        QueryFilter where = where(accountId, filter);
        return find("from Destination d where " + where.query(), where.params()).count();
    }

    private static QueryFilter where(UUID accountId, DestinationFilter filter) {
        return QueryFilter.where("d.accountId = ?", accountId)
                .and("d.httpMethod = ?", filter.httpMethod())
                .andSearch(filter.q(), "d.url");
    }
}
