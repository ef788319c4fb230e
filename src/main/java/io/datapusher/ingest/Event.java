package io.datapusher.ingest;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One accepted POST /server/incoming_data, with the exact bytes received. Written by
 * {@link IntakeStatement} together with its delivery logs; read here by the logs API.
 */
@Entity
@Table(name = "events")
public class Event extends PanacheEntityBase {
    /** The longest CL-X-EVENT-ID accepted, and what the column holds. */
    public static final int MAX_EVENT_ID_LENGTH = 255;

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false, updatable = false)
    public UUID accountId;

    /** The client's CL-X-EVENT-ID, unique per account. */
    @Column(name = "event_id", nullable = false, updatable = false, length = MAX_EVENT_ID_LENGTH)
    public String eventId;

    @Column(nullable = false, updatable = false)
    public byte[] payload;

    @Column(name = "received_at", nullable = false, updatable = false)
    public Instant receivedAt;
}
