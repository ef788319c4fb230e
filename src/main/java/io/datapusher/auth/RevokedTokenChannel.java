package io.datapusher.auth;

import java.sql.Connection;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.platform.NotificationChannel;

/** A logout on any replica (V16's trigger names the jti) forgets that token's cached answer here. */
@ApplicationScoped
class RevokedTokenChannel implements NotificationChannel {
    private final TokenRevocation revocation;

    RevokedTokenChannel(TokenRevocation revocation) {
        this.revocation = revocation;
    }

    @Override
    public String name() {
        return "datapusher_revoked_tokens";
    }

    @Override
    public void resumed(Connection connection) {
        revocation.forgetAll();
    }

    @Override
    public void interrupted() {
        revocation.forgetAll();
    }

    @Override
    public void notified(Connection connection, Set<String> jtis) {
        jtis.forEach(revocation::forget);
    }
}
