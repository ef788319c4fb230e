package io.datapusher.auth;

import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.datapusher.common.AuditedEntity;

@Entity
@Table(name = "users")
public class User extends AuditedEntity {

    @Column(nullable = false, length = 254)
    public String email;

    /** The bcrypt hash, salt and cost, base64, as the Elytron JDBC realm reads them. */
    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(name = "password_salt", nullable = false)
    public String passwordSalt;

    @Column(name = "password_cost", nullable = false)
    public int passwordCost;

    public static Optional<User> findByEmail(String email) {
        return find("lower(email) = lower(?1)", email).firstResultOptional();
    }

    public void setPassword(PasswordHash hash) {
        passwordHash = hash.hash();
        passwordSalt = hash.salt();
        passwordCost = hash.cost();
    }
}
