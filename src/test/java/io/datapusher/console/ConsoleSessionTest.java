package io.datapusher.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Signing in and out of the console, its cookies, and the form tokens that keep other sites out. */
@QuarkusTest
class ConsoleSessionTest {

    @Test
    void signIn_setsTheSessionCookie_httpOnlySecureStrict_onConsolePathsOnly() {
        String email = Api.uniqueEmail("console-cookie");
        Api.signup(email);
        Response signedIn = ConsoleClient.signInResponse(email, Api.PASSWORD);

        assertEquals(303, signedIn.statusCode());
        assertTrue(signedIn.header("Location").endsWith("/console/accounts"), signedIn.header("Location"));
        String setCookie = signedIn.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(ConsoleCookies.SESSION + "=")).findFirst().orElseThrow();
        String flags = setCookie.toLowerCase(Locale.ROOT);
        assertTrue(flags.contains("httponly"), setCookie);
        assertTrue(flags.contains("secure"), setCookie);
        assertTrue(flags.contains("samesite=strict"), setCookie);
        assertTrue(flags.contains("path=/console"), setCookie);
        assertTrue(flags.contains("max-age=3600"), setCookie);
    }

    @Test
    void signInForm_setsItsFormCookie_withTheSameFlags() {
        String setCookie = given().get("/console/signin").then().statusCode(200)
                .extract().headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(ConsoleCookies.FORM + "=")).findFirst().orElseThrow().toLowerCase(Locale.ROOT);
        assertTrue(setCookie.contains("httponly") && setCookie.contains("secure") && setCookie.contains("samesite=strict")
                && setCookie.contains("path=/console"), setCookie);
    }

    @Test
    void wrongPassword_showsTheFormAgain_withoutASession() {
        String email = Api.uniqueEmail("console-wrong");
        Api.signup(email);
        Response refused = ConsoleClient.signInResponse(email, "not the password");
        assertEquals(401, refused.statusCode());
        assertTrue(refused.asString().contains("email or password is wrong"));
        assertTrue(refused.getHeaders().getValues("Set-Cookie").stream()
                .noneMatch(c -> c.startsWith(ConsoleCookies.SESSION + "=") && !c.startsWith(ConsoleCookies.SESSION + "=;")));
    }

    @Test
    void signInForm_withoutItsCookie_isRefused() {
        String email = Api.uniqueEmail("console-nocookie");
        Api.signup(email);
        given().redirects().follow(false).formParam("form_token", "A".repeat(43)).formParam("email", email)
                .formParam("password", Api.PASSWORD).post("/console/signin")
                .then().statusCode(403).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void signUp_thenSignIn_throughTheForms() {
        String email = Api.uniqueEmail("console-signup");
        String formCookie = given().get("/console/signup").then().statusCode(200).extract().cookie(ConsoleCookies.FORM);
        given().redirects().follow(false).cookie(ConsoleCookies.FORM, formCookie).formParam("form_token", formCookie)
                .formParam("email", email).formParam("password", Api.PASSWORD).post("/console/signup")
                .then().statusCode(303).header("Location", containsString("/console/signin?notice=signed-up"));
        // the same email again is a conflict shown on the form
        given().redirects().follow(false).cookie(ConsoleCookies.FORM, formCookie).formParam("form_token", formCookie)
                .formParam("email", email).formParam("password", Api.PASSWORD).post("/console/signup")
                .then().statusCode(409).body(containsString("is already registered"));
        ConsoleClient.signIn(email).get("/console/accounts").then().statusCode(200).body(containsString(email));
    }

    @Test
    void pages_withoutASession_redirectToSignIn() {
        for (String path : List.of("/console", "/console/accounts",
                "/console/accounts/00000000-0000-0000-0000-000000000001/logs")) {
            given().redirects().follow(false).get(path).then().statusCode(303)
                    .header("Location", containsString("/console/signin"));
        }
    }

    @Test
    void aForgedSessionCookie_redirectsToSignIn() {
        given().redirects().follow(false).cookie(ConsoleCookies.SESSION, "eyJhbGciOiJSUzI1NiJ9.e30.AAAA")
                .get("/console/accounts").then().statusCode(303).header("Location", containsString("/console/signin"));
    }

    @Test
    void theApi_doesNotReadTheSessionCookie() {
        String email = Api.uniqueEmail("console-api");
        Api.signup(email);
        ConsoleClient console = ConsoleClient.signIn(email);
        given().cookie(ConsoleCookies.SESSION, console.session).get("/accounts").then().statusCode(401)
                .body("message", equalTo("Unauthenticated"));
        // the same token as a bearer token is what the API takes
        Api.as(console.session).get("/accounts").then().statusCode(200);
    }

    @Test
    void aForm_withoutTheSessionsToken_isRefused_andChangesNothing() {
        String email = Api.uniqueEmail("console-csrf");
        Api.signup(email);
        ConsoleClient console = ConsoleClient.signIn(email);

        console.postRaw("/console/accounts", Map.of("name", "Forged")).then().statusCode(403)
                .body(containsString("Form refused"));
        console.postRaw("/console/accounts", Map.of("name", "Forged", "form_token", "x".repeat(43))).then().statusCode(403);
        // another session's token (the same user signed in elsewhere) does not fit this session
        String otherToken = ConsoleClient.signIn(email).formToken();
        console.postRaw("/console/accounts", Map.of("name", "Forged", "form_token", otherToken)).then().statusCode(403);

        Api.as(console.session).get("/accounts").then().statusCode(200).body("total", equalTo(0));
        console.post("/console/accounts", Map.of("name", "Real")).then().statusCode(303);
        Api.as(console.session).get("/accounts").then().statusCode(200).body("total", equalTo(1));
    }

    @Test
    void signOut_revokesTheToken_forTheConsoleAndTheApi() {
        String email = Api.uniqueEmail("console-signout");
        Api.signup(email);
        ConsoleClient console = ConsoleClient.signIn(email);
        Response out = console.post("/console/signout", Map.of());
        assertEquals(303, out.statusCode());
        assertTrue(out.getHeaders().getValues("Set-Cookie").stream()
                .anyMatch(c -> c.startsWith(ConsoleCookies.SESSION + "=") && c.toLowerCase(Locale.ROOT).contains("max-age=0")));

        console.get("/console/accounts").then().statusCode(303).header("Location", containsString("/console/signin"));
        Api.as(console.session).get("/accounts").then().statusCode(401);
    }

    @Test
    void theConsole_isNotInTheOpenApiDocument() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body(not(containsString("/console")));
    }
}
