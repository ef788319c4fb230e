package io.datapusher.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Short-hands for the calls most tests start with; each makes fresh users and accounts. */
public final class Api {
    public static final String PASSWORD = "correct horse battery";

    private Api() {
    }

    public static String uniqueEmail(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    }

    public static String signup(String email) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/auth/signup").then().statusCode(201).extract().path("id");
    }

    public static String login(String email) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/auth/login").then().statusCode(200).extract().path("access_token");
    }

    /** Signs a new user up and logs them in; answers the bearer token. */
    public static String newUserToken(String prefix) {
        String email = uniqueEmail(prefix);
        signup(email);
        return login(email);
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** Creates an account as the token's user (who becomes its admin); answers the account's id. */
    public static String createAccount(String token, String name) {
        return as(token).body(Map.of("name", name, "website", "https://example.com"))
                .post("/accounts").then().statusCode(201).extract().path("id");
    }

    public static String appToken(String adminToken, String accountId) {
        return as(adminToken).get("/accounts/{id}", accountId).then().statusCode(200).extract().path("app_secret_token");
    }

    /** Adds an existing or new user to the account with the given role; answers the member id. */
    public static String addMember(String adminToken, String accountId, String email, String role) {
        return as(adminToken).body(Map.of("email", email, "role", role, "password", PASSWORD))
                .post("/accounts/{id}/members", accountId).then().statusCode(201).extract().path("id");
    }
}
