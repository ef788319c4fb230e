package io.datapusher.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The key and the audit columns the specification makes mandatory on users, accounts,
 * destinations and members. Ids are made here, not by the database, so a new row's id is known
 * before it is flushed.
 */
@MappedSuperclass
public abstract class AuditedEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "created_by", nullable = false, updatable = false)
    public UUID createdBy;

    @Column(name = "updated_by", nullable = false)
    public UUID updatedBy;

    /** Records who made this row; call before the first persist. */
    public void createdBy(UUID userId) {
        this.createdBy = userId;
        this.updatedBy = userId;
    }

    /** Records who changed this row last. */
    public void updatedBy(UUID userId) {
        this.updatedBy = userId;
    }

    @PrePersist
    void beforeInsert() {
        if (id == null) {
            id = UUID.randomUUID();
        }
        Instant now = now();
        createdAt = now;
        updatedAt = now;
    }

    @PreUpdate
    void beforeUpdate() {
        updatedAt = now();
    }

    /** Microseconds, as PostgreSQL stores them: the answer to a write shows what a later read shows. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
