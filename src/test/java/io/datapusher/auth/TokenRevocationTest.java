package io.datapusher.auth;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.datapusher.testing.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A logout made on another replica (here: its row, written in SQL) is refused on this one at
 * once, although the answer "not revoked" was cached here for ten minutes: the insert's
 * notification forgets it.
 */
@QuarkusTest
class TokenRevocationTest {

    @Test
    void aLogoutElsewhere_isRefusedHere_withinAMoment() throws Exception {
        String bearer = Api.newUserToken("revoked-elsewhere");
        Api.as(bearer).get("/auth/me").then().statusCode(200); // "not revoked" is now cached
        String jti = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(bearer.split("\\.")[1]))
                .get("jti").asText();

        QuarkusTransaction.requiringNew().run(() -> RevokedToken.getEntityManager().createNativeQuery(
                "INSERT INTO revoked_tokens (jti, expires_at) VALUES (:jti, now() + interval '1 hour')")
                .setParameter("jti", jti).executeUpdate());

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> Api.as(bearer).get("/auth/me").statusCode() == 401);
    }

}
