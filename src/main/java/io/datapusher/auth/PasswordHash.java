package io.datapusher.auth;

import java.util.Base64;

import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

import io.quarkus.elytron.security.common.BcryptUtil;

/** A bcrypt hash split into the three columns that the JDBC realm's bcrypt mapper reads. */
public record PasswordHash(String hash, String salt, int cost) {

    public static final int COST = 10;

    public static PasswordHash of(String password) {
        try {
            BCryptPassword bcrypt = (BCryptPassword) ModularCrypt.decode(BcryptUtil.bcryptHash(password, COST));
            Base64.Encoder base64 = Base64.getEncoder();
            return new PasswordHash(base64.encodeToString(bcrypt.getHash()), base64.encodeToString(bcrypt.getSalt()),
                    bcrypt.getIterationCount());
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw new IllegalStateException("bcrypt hash could not be decoded", e);
        }
    }
}
