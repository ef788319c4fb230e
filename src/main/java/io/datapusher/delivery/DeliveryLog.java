package io.datapusher.delivery;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

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

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

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
