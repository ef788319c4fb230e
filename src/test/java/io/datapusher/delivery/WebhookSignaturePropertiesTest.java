package io.datapusher.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Our Standard Webhooks signature against the Standard Webhooks project's own Java library, for
 * any id, timestamp, body and secret: the library computes the same signature and verifies ours,
 * and rejects it when anything it covers was changed.
 */
class WebhookSignaturePropertiesTest {

    @Property
    void signature_isTheReferenceLibrarys(@ForAll("keys") byte[] key, @ForAll @StringLength(max = 300) String id,
            @ForAll long timestamp, @ForAll String body) throws Exception {
        String secret = secret(key);
        assertEquals(new Webhook(secret).sign(id, timestamp, body),
                WebhookSignature.sign(secret, id, timestamp, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Property
    void signature_isVerifiedByTheReferenceLibrary(@ForAll("keys") byte[] key, @ForAll("ids") String id,
            @ForAll("skews") int skew, @ForAll String body) throws Exception {
        long timestamp = now() + skew;
        new Webhook(secret(key)).verify(body, headers(id, timestamp, sign(key, id, timestamp, body)));
    }

    @Property
    void changedBody_failsVerification(@ForAll("keys") byte[] key, @ForAll("ids") String id, @ForAll String body,
            @ForAll String received) {
        Assume.that(!body.equals(received));
        long timestamp = now();
        assertRejected(key, received, headers(id, timestamp, sign(key, id, timestamp, body)));
    }

    @Property
    void changedId_failsVerification(@ForAll("keys") byte[] key, @ForAll("ids") String id, @ForAll("ids") String received,
            @ForAll String body) {
        Assume.that(!id.equals(received));
        long timestamp = now();
        assertRejected(key, body, headers(received, timestamp, sign(key, id, timestamp, body)));
    }

    @Property
    void changedTimestamp_failsVerification(@ForAll("keys") byte[] key, @ForAll("ids") String id,
            @ForAll("skews") int skew, @ForAll String body) {
        Assume.that(skew != 0);
        long signedAt = now();
        assertRejected(key, body, headers(id, signedAt + skew, sign(key, id, signedAt, body)));
    }

    @Property
    void anotherSecret_failsVerification(@ForAll("keys") byte[] key, @ForAll("keys") byte[] other,
            @ForAll("ids") String id, @ForAll String body) {
        Assume.that(!java.util.Arrays.equals(key, other));
        long timestamp = now();
        assertRejected(other, body, headers(id, timestamp, sign(key, id, timestamp, body)));
    }

    @Property
    void flippedSignatureBit_failsVerification(@ForAll("keys") byte[] key, @ForAll("ids") String id,
            @ForAll String body, @ForAll @IntRange(min = 0, max = 255) int bit) {
        long timestamp = now();
        byte[] mac = Base64.getDecoder().decode(sign(key, id, timestamp, body).substring("v1,".length()));
        mac[bit / 8] ^= (byte) (1 << (bit % 8));
        assertRejected(key, body, headers(id, timestamp, "v1," + Base64.getEncoder().encodeToString(mac)));
    }

    /** Same length as the service's secrets (24 bytes): HMAC pads shorter keys with zeros, so lengths must match. */
    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(24);
    }

    /** Event ids as ingest accepts them: 1 to 255 printable ASCII characters. */
    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(255);
    }

    /** Within the library's five-minute tolerance. */
    @Provide
    Arbitrary<Integer> skews() {
        return Arbitraries.integers().between(-290, 290);
    }

    private static String secret(byte[] key) {
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static String sign(byte[] key, String id, long timestamp, String body) {
        return WebhookSignature.sign(secret(key), id, timestamp, body.getBytes(StandardCharsets.UTF_8));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature));
    }

    private static void assertRejected(byte[] key, String body, Map<String, List<String>> headers) {
        assertThrows(WebhookVerificationException.class, () -> new Webhook(secret(key)).verify(body, headers));
    }
}
