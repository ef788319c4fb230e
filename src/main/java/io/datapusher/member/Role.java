package io.datapusher.member;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One of the two roles seeded by migration V2; never created through the API. */
@Entity
@Table(name = "roles")
public class Role extends PanacheEntityBase {
    public static final UUID ADMIN_ID = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    public static final UUID NORMAL_ID = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String code;

    @Column(name = "role_name", nullable = false)
    public String roleName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public RoleCode roleCode() {
        return RoleCode.fromCode(code);
    }

    public static Role of(RoleCode code) {
        return findById(code == RoleCode.ADMIN ? ADMIN_ID : NORMAL_ID);
    }
}
