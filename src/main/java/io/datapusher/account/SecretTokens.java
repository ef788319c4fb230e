package io.datapusher.account;

import java.security.SecureRandom;
import java.util.Base64;

/** Random secrets: 32 bytes from {@link SecureRandom}, URL-safe base64 without padding. */
public final class SecretTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int BYTES = 32;

    private SecretTokens() {
    }

    public static String newToken() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(BYTES));
    }

    public static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
