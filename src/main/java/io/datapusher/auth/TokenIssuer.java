package io.datapusher.auth;

import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.jwt.build.Jwt;

/** Signs RS256 access tokens: the user id as subject, a fresh {@code jti} for revocation. */
@ApplicationScoped
public class TokenIssuer {
    static final String USER_GROUP = "user";
    private final AuthConfig config;

    TokenIssuer(AuthConfig config) {
        this.config = config;
    }

    public AccessToken issue(User user) {
        long lifespan = config.tokenLifespan().toSeconds();
        String token = Jwt.subject(user.id.toString())
                .upn(user.email)
                .groups(Set.of(USER_GROUP))
                .claim("jti", UUID.randomUUID().toString())
                .expiresIn(lifespan)
                .sign();
        return new AccessToken(token, "Bearer", lifespan);
    }
}
