package io.datapusher.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.datapusher.destination.Destination;

/** Standard Webhooks signature: {@code v1,} + base64 of HMAC-SHA256 over {@code id.timestamp.body}. */
public final class WebhookSignature {
    private WebhookSignature() {
    }

    /** @param secret a {@code whsec_} secret: the key is the base64 after the prefix */
    public static String sign(String secret, String webhookId, long timestampSeconds, byte[] body) {
        String encodedKey = secret.startsWith(Destination.SIGNING_SECRET_PREFIX)
                ? secret.substring(Destination.SIGNING_SECRET_PREFIX.length())
                : secret;
        byte[] key = Base64.getDecoder().decode(encodedKey);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
