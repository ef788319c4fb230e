package io.datapusher.console;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

/**
 * The console's two cookies, both HttpOnly, SameSite=Strict and scoped to {@code /console}: the
 * session (the same RS256 access token the API takes as a bearer token) and, before sign-in, the
 * token that the sign-in and sign-up forms must echo.
 */
@ApplicationScoped
public class ConsoleCookies {
    public static final String SESSION = "dp_session";
    public static final String FORM = "dp_form";
    static final String PATH = "/console";
    private static final int FORM_TOKEN_BYTES = 32;
    private static final int FORM_TOKEN_SECONDS = 3600;

    private final SecureRandom random = new SecureRandom();
    private final boolean secure;

    ConsoleCookies(ConsoleConfig config) {
        this.secure = config.secureCookies();
    }

    NewCookie session(String accessToken, long lifespanSeconds) {
        return cookie(SESSION, accessToken, (int) Math.min(Integer.MAX_VALUE, lifespanSeconds));
    }

    NewCookie endSession() {
        return cookie(SESSION, "", 0);
    }

    NewCookie formToken(String value) {
        return cookie(FORM, value, FORM_TOKEN_SECONDS);
    }

    String newFormToken() {
        byte[] bytes = new byte[FORM_TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private NewCookie cookie(String name, String value, int maxAge) {
        return new NewCookie.Builder(name).value(value).path(PATH).maxAge(maxAge).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}
