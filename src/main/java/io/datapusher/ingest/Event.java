package io.datapusher.ingest;

import java.time.Instant;
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
}
