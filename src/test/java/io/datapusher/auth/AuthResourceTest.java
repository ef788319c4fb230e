package io.datapusher.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class AuthResourceTest {

    @Test
    void signup_thenLogin_thenMe_showsTheUser() {
        String email = Api.uniqueEmail("ada");
        String id = Api.signup(email);
        String token = Api.login(email);

        Api.as(token).get("/auth/me").then().statusCode(200)
                .body("id", equalTo(id))
                .body("email", equalTo(email))
                .body("memberships", empty());
    }

    @Test
    void signup_answersTheUserWithoutPassword() {
        String email = Api.uniqueEmail("bob");
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Api.PASSWORD))
                .post("/auth/signup").then().statusCode(201)
                .body("email", equalTo(email))
                .body("created_at", notNullValue())
                .body("updated_at", notNullValue())
                .body("password", nullValue())
                .body("password_hash", nullValue());
    }

    @Test
    void signup_withTheSameEmailInOtherCase_isConflict() {
        String email = Api.uniqueEmail("case");
        Api.signup(email);
        given().contentType(ContentType.JSON).body(Map.of("email", email.toUpperCase(), "password", Api.PASSWORD))
                .post("/auth/signup").then().statusCode(409)
                .body("success", equalTo(false))
                .body("message", equalTo("Conflict"));
    }

    @Test
    void login_isCaseInsensitiveOnEmail() {
        String email = Api.uniqueEmail("mixed");
        Api.signup(email);
        given().contentType(ContentType.JSON).body(Map.of("email", email.toUpperCase(), "password", Api.PASSWORD))
                .post("/auth/login").then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(3600));
    }

    @Test
    void signup_withBadEmailAndShortPassword_listsBothFields() {
        given().contentType(ContentType.JSON).body(Map.of("email", "not-an-email", "password", "short"))
                .post("/auth/signup").then().statusCode(400)
                .body("success", equalTo(false))
                .body("message", equalTo("Invalid Data"))
                .body("errors.field", hasItem("email"))
                .body("errors.field", hasItem("password"));
    }

    @Test
    void login_withWrongPassword_isUnauthenticated() {
        String email = Api.uniqueEmail("wrong");
        Api.signup(email);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "not the password"))
                .post("/auth/login").then().statusCode(401)
                .body("message", equalTo("Unauthenticated"));
    }

    @Test
    void login_withUnknownEmail_isUnauthenticated() {
        given().contentType(ContentType.JSON).body(Map.of("email", Api.uniqueEmail("ghost"), "password", Api.PASSWORD))
                .post("/auth/login").then().statusCode(401)
                .body("message", equalTo("Unauthenticated"));
    }

    @Test
    void login_afterFiveFailures_isLockedEvenWithTheRightPassword() {
        String email = Api.uniqueEmail("brute");
        Api.signup(email);
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "guess number " + i))
                    .post("/auth/login").then().statusCode(401);
        }
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Api.PASSWORD))
                .post("/auth/login").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("message", equalTo("Too Many Requests"));
    }

    @Test
    void logout_revokesThatToken_only() {
        String email = Api.uniqueEmail("out");
        Api.signup(email);
        String first = Api.login(email);
        String second = Api.login(email);

        Api.as(first).post("/auth/logout").then().statusCode(204);

        Api.as(first).get("/auth/me").then().statusCode(401).body("message", equalTo("Unauthenticated"));
        Api.as(second).get("/auth/me").then().statusCode(200);
    }

    @Test
    void me_withoutToken_isUnauthenticated() {
        given().get("/auth/me").then().statusCode(401)
                .body("success", equalTo(false))
                .body("message", equalTo("Unauthenticated"));
    }

    @Test
    void me_withGarbageToken_isUnauthenticated() {
        Api.as("not.a.jwt").get("/auth/me").then().statusCode(401)
                .body("message", equalTo("Unauthenticated"));
    }
}
