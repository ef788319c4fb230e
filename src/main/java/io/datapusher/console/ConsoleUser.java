package io.datapusher.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The signed-in user of a console request, and the form token of their session. The token is
 * derived from the session's access token id ({@code jti}), which sits only in the HttpOnly
 * cookie and the signed token: another site can neither read it nor make a token that matches it,
 * and every replica derives the same one without shared state.
 */
public record ConsoleUser(UUID id, String email, String formToken) {

    static ConsoleUser of(JsonWebToken jwt) {
        return new ConsoleUser(UUID.fromString(jwt.getSubject()), jwt.getName(), formTokenFor(jwt.getTokenID()));
    }

    /** Whether a submitted form carried this session's token. */
    boolean accepts(String submitted) {
        return submitted != null && MessageDigest.isEqual(formToken.getBytes(StandardCharsets.US_ASCII),
                submitted.getBytes(StandardCharsets.US_ASCII));
    }

    static String formTokenFor(String jti) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("datapusher-console-form:" + jti).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
