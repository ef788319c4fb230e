package io.datapusher.console;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the console's session cookie, on console paths only, and hands the token to the same JWT
 * verification (and revocation check) as a bearer token. The API never reads the cookie: a browser
 * that holds it cannot be made to call the API with it.
 */
@ApplicationScoped
public class ConsoleSessionMechanism implements HttpAuthenticationMechanism {
    /** Below the bearer mechanism's, so the API's 401 challenge stays {@code Bearer}. */
    private static final int PRIORITY = DEFAULT_PRIORITY - 100;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String path = context.normalizedPath();
        if (!path.equals(ConsoleCookies.PATH) && !path.startsWith(ConsoleCookies.PATH + "/")) {
            return Uni.createFrom().nullItem();
        }
        Cookie cookie = context.request().getCookie(ConsoleCookies.SESSION);
        if (cookie == null || cookie.getValue().isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new TokenAuthenticationRequest(new JsonWebTokenCredential(cookie.getValue())), context));
    }

    /** The console answers a missing session with a redirect of its own, not a challenge. */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
