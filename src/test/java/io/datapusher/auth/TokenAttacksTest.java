package io.datapusher.auth;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Bearer tokens made by someone other than the service, or no longer valid: each answers 401 in
 * the contract's shape, and never reaches a resource. The well-formed token each attack starts
 * from is accepted, so a 401 is the attack's doing.
 */
@QuarkusTest
class TokenAttacksTest {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private String userId;
    private String valid;

    @BeforeEach
    void aUserWithAValidToken() {
        String email = Api.uniqueEmail("attacked");
        userId = Api.signup(email);
        valid = Api.login(email);
        Api.as(valid).get("/auth/me").then().statusCode(200);
    }

    @Test
    void algNone_isRefused() {
        String unsigned = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + valid.split("\\.")[1] + ".";
        refused(unsigned);
    }

    @Test
    void aTokenSignedWithAnotherKey_isRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        refused(rs256(claims(userId, "https://datapusher.io", Instant.now().plusSeconds(600)),
                generator.generateKeyPair().getPrivate()));
    }

    @Test
    void anExpiredToken_signedWithTheServicesKey_isRefused() throws Exception {
        String fine = rs256(claims(userId, "https://datapusher.io", Instant.now().plusSeconds(600)), serviceKey());
        Api.as(fine).get("/auth/me").then().statusCode(200); // the forging itself is right
        refused(rs256(claims(userId, "https://datapusher.io", Instant.now().minusSeconds(600)), serviceKey()));
    }

    @Test
    void anotherIssuer_signedWithTheServicesKey_isRefused() throws Exception {
        refused(rs256(claims(userId, "https://evil.example.invalid", Instant.now().plusSeconds(600)), serviceKey()));
    }

    @Test
    void aTamperedSubject_breaksTheSignature() {
        String[] parts = valid.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String other = payload.replace(userId, UUID.randomUUID().toString());
        assertEquals(false, other.equals(payload), "the subject was found and replaced");
        refused(parts[0] + "." + encode(other) + "." + parts[2]);
    }

    @Test
    void aTruncatedSignature_isRefused() {
        refused(valid.substring(0, valid.length() - 4));
    }

    private static void refused(String token) {
        Api.as(token).get("/auth/me").then().statusCode(401)
                .body("success", equalTo(false))
                .body("message", equalTo("Unauthenticated"));
    }

    private static String claims(String subject, String issuer, Instant expires) {
        long now = Instant.now().getEpochSecond();
        return "{\"sub\":\"" + subject + "\",\"iss\":\"" + issuer + "\",\"groups\":[\"user\"],\"jti\":\""
                + UUID.randomUUID() + "\",\"iat\":" + Math.min(now, expires.getEpochSecond() - 60) + ",\"exp\":"
                + expires.getEpochSecond() + "}";
    }

    private static String rs256(String claims, PrivateKey key) throws Exception {
        String signed = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + encode(claims);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + URL.encodeToString(signature.sign());
    }

    /** The private key the test profile signs with (made by the LocalServices test resource). */
    private static PrivateKey serviceKey() throws Exception {
        String pem = Files.readString(Path.of("target/test-keys/private.pem"))
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private static String encode(String json) {
        return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
