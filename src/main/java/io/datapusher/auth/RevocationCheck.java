package io.datapusher.auth;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/** Refuses a bearer token that was logged out, on every authenticated request. */
@ApplicationScoped
public class RevocationCheck implements SecurityIdentityAugmentor {
    private final TokenRevocation revocation;

    RevocationCheck(TokenRevocation revocation) {
        this.revocation = revocation;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        String jti = jwt.getTokenID();
        return context.runBlocking(() -> {
            if (jti == null || revocation.isRevoked(jti)) {
                throw new AuthenticationFailedException("token revoked");
            }
            return identity;
        });
    }
}
