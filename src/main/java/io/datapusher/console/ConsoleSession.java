package io.datapusher.console;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is signed in to the console for this request. A page asks {@link #require()}; a form handler
 * asks {@link #requireForm(String)}, which also checks the form's token, so no handler can act for
 * a user without that check.
 */
@RequestScoped
public class ConsoleSession {
    private final SecurityIdentity identity;

    ConsoleSession(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The signed-in user; empty without a session, or when its token expired or was revoked. */
    public Optional<ConsoleUser> user() {
        try {
            if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
                return Optional.empty();
            }
            return Optional.of(ConsoleUser.of(jwt));
        } catch (AuthenticationFailedException e) {
            return Optional.empty();
        }
    }

    public ConsoleUser require() {
        return user().orElseThrow(SignInRequired::new);
    }

    public ConsoleUser requireForm(String formToken) {
        ConsoleUser user = require();
        if (!user.accepts(formToken)) {
            throw new FormRefused();
        }
        return user;
    }

    public JsonWebToken token() {
        return (JsonWebToken) identity.getPrincipal();
    }

    /** No session, or a dead one: the browser goes to the sign-in page. */
    public static final class SignInRequired extends RuntimeException {
        SignInRequired() {
            super("sign-in required", null, false, false);
        }
    }

    /** A form without this session's token: another site may have sent it. */
    public static final class FormRefused extends RuntimeException {
        FormRefused() {
            super("form token missing or wrong", null, false, false);
        }
    }
}
