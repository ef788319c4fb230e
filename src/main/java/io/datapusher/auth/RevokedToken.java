package io.datapusher.auth;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A logged-out access token, by its {@code jti}, kept until it would have expired anyway. */
@Entity
@Table(name = "revoked_tokens")
public class RevokedToken extends PanacheEntityBase {

    @Id
    @Column(length = 64)
    public String jti;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    public static boolean isRevoked(String jti) {
        return count("jti", jti) > 0;
    }

    /** Inserts the revocation; logging out twice is not an error. */
    public static void revoke(String jti, Instant expiresAt) {
        getEntityManager().createNativeQuery(
                "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?1, ?2) ON CONFLICT (jti) DO NOTHING")
                .setParameter(1, jti)
                .setParameter(2, expiresAt)
                .executeUpdate();
    }

    public static long deleteExpired(Instant now) {
        return delete("expiresAt < ?1", now);
    }
}
