package io.datapusher.testing;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.destination.Destination;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.response.Response;

/**
 * A fresh user with a fresh account, made through the API, and the account's destinations,
 * stored directly (the destination API is not what these tests are about).
 */
public record Tenant(UUID userId, String bearer, UUID accountId, String appToken) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static Tenant create() {
        String email = Api.uniqueEmail("tenant");
        String userId = Api.signup(email);
        String bearer = Api.login(email);
        String accountId = Api.createAccount(bearer, "Tenant " + email);
        return new Tenant(UUID.fromString(userId), bearer, UUID.fromString(accountId),
                Api.appToken(bearer, accountId));
    }

    /** A destination with a fresh {@code whsec_} secret. */
    public Destination destination(String url, DeliveryMethod method, Map<String, String> headers) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Destination destination = new Destination();
            destination.accountId = accountId;
            destination.url = url;
            destination.httpMethod = method;
            destination.headers = headers;
            byte[] key = new byte[24];
            RANDOM.nextBytes(key);
            destination.signingSecret = "whsec_" + Base64.getEncoder().encodeToString(key);
            destination.createdBy(userId);
            destination.persist();
            return destination;
        });
    }

    /** POST /server/incoming_data with this account's token. */
    public Response send(String eventId, String json) {
        return given().header("CL-X-TOKEN", appToken).header("CL-X-EVENT-ID", eventId)
                .contentType("application/json").body(json.getBytes(StandardCharsets.UTF_8))
                .post("/server/incoming_data");
    }
}
