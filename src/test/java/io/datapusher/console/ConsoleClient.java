package io.datapusher.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.datapusher.testing.Api;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A browser without JavaScript, as REST Assured: it signs in through the console's form, keeps
 * the session cookie, and sends forms with the token the pages carry. Redirects are not followed,
 * so tests see them.
 */
final class ConsoleClient {
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"form_token\" value=\"([^\"]+)\"");

    final String session;

    private ConsoleClient(String session) {
        this.session = session;
    }

    static ConsoleClient signIn(String email) {
        Response signedIn = signInResponse(email, Api.PASSWORD);
        assertEquals(303, signedIn.statusCode(), signedIn.asString());
        String session = signedIn.getCookie(ConsoleCookies.SESSION);
        assertNotNull(session, "no session cookie");
        return new ConsoleClient(session);
    }

    /** Opens the sign-in form (which sets the form cookie), then sends it. */
    static Response signInResponse(String email, String password) {
        String formCookie = given().redirects().follow(false).get("/console/signin").then().statusCode(200).extract()
                .cookie(ConsoleCookies.FORM);
        return given().redirects().follow(false).cookie(ConsoleCookies.FORM, formCookie)
                .formParam("form_token", formCookie).formParam("email", email).formParam("password", password)
                .post("/console/signin");
    }

    RequestSpecification request() {
        return given().redirects().follow(false).cookie(ConsoleCookies.SESSION, session);
    }

    Response get(String path, Object... pathParams) {
        return request().get(path, pathParams);
    }

    /** The form token the session's pages carry. */
    String formToken() {
        return formTokenIn(get("/console/accounts").then().statusCode(200).extract().asString());
    }

    static String formTokenIn(String html) {
        Matcher matcher = FORM_TOKEN.matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no form token in the page");
        }
        return matcher.group(1);
    }

    /** Sends a form as the page would, with this session's token. */
    Response post(String path, Map<String, String> fields, Object... pathParams) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putIfAbsent("form_token", formToken());
        return postRaw(path, all, pathParams);
    }

    /** Sends exactly these fields: a forged or tokenless form. */
    Response postRaw(String path, Map<String, String> fields, Object... pathParams) {
        RequestSpecification request = request().contentType("application/x-www-form-urlencoded");
        fields.forEach(request::formParam);
        return request.post(path, pathParams);
    }
}
