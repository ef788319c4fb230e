package io.datapusher.console;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.datapusher.testing.Destinations;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * The contract's role table in the console: a normal member's pages offer no admin action, and
 * every admin form sent by them anyway (with a valid form token: only the role is wrong) is 403 and
 * changes nothing; a user who is not a member gets 404 for every page of the account.
 */
@QuarkusTest
class ConsoleRoleTest {
    private String adminToken;
    private String account;
    private String destination;
    private String normalMemberId;
    private String adminMemberId;
    private ConsoleClient admin;
    private ConsoleClient normal;
    private ConsoleClient outsider;

    @BeforeEach
    void anAccountWithAnAdminANormalMemberAndAnOutsider() {
        String adminEmail = Api.uniqueEmail("console-admin");
        Api.signup(adminEmail);
        adminToken = Api.login(adminEmail);
        account = Api.createAccount(adminToken, "Console roles");
        destination = Destinations.create(adminToken, account, "https://hooks.example.invalid/roles");
        String normalEmail = Api.uniqueEmail("console-normal");
        normalMemberId = Api.addMember(adminToken, account, normalEmail, "normal");
        adminMemberId = Api.as(adminToken).queryParam("role", "admin").get("/accounts/{a}/members", account)
                .then().extract().path("items[0].id");
        String outsiderEmail = Api.uniqueEmail("console-outsider");
        Api.signup(outsiderEmail);
        admin = ConsoleClient.signIn(adminEmail);
        normal = ConsoleClient.signIn(normalEmail);
        outsider = ConsoleClient.signIn(outsiderEmail);
    }

    private static void forbidden(ValidatableResponse response) {
        response.statusCode(403).body(containsString("Not allowed"));
    }

    @Test
    void admin_seesTheTokenAndEveryAdminAction() {
        String token = Api.appToken(adminToken, account);
        admin.get("/console/accounts/{a}", account).then().statusCode(200)
                .body(containsString(token), containsString("Rotate token"), containsString("Delete account"));
        admin.get("/console/accounts/{a}/destinations", account).then().statusCode(200)
                .body(containsString("/destinations/" + destination + "/delete"), containsString("Add destination"));
        admin.get("/console/accounts/{a}/destinations/{d}", account, destination).then().statusCode(200)
                .body(containsString("whsec_"), containsString("Delete destination"), containsString(">Disable<"),
                        containsString("Failed attempts in a row"));
        admin.get("/console/accounts/{a}/members", account).then().statusCode(200)
                .body(containsString("Change role"), containsString("Add member"));
    }

    @Test
    void normalMember_seesNoAdminAction_andNoSecret() {
        String token = Api.appToken(adminToken, account);
        normal.get("/console/accounts/{a}", account).then().statusCode(200)
                .body(containsString("Normal user"), not(containsString(token)), not(containsString("Rotate token")),
                        not(containsString("Delete account")), containsString("Only the account's admins see and rotate"));
        normal.get("/console/accounts/{a}/destinations", account).then().statusCode(200)
                .body(containsString("https://hooks.example.invalid/roles"), not(containsString("/delete")),
                        not(containsString("Add destination")));
        normal.get("/console/accounts/{a}/destinations/{d}", account, destination).then().statusCode(200)
                .body(not(containsString("whsec_")), not(containsString("Delete destination")),
                        not(containsString(">Disable<")), containsString("Failed attempts in a row"), containsString("Save"));
        normal.get("/console/accounts/{a}/members", account).then().statusCode(200)
                .body(not(containsString("Change role")), not(containsString("Add member")), not(containsString("Remove")));
    }

    @Test
    void normalMember_forgedAdminForms_areForbidden_andChangeNothing() {
        String token = Api.appToken(adminToken, account);
        forbidden(normal.post("/console/accounts/{a}/token", Map.of(), account).then());
        forbidden(normal.post("/console/accounts/{a}/delete", Map.of(), account).then());
        forbidden(normal.post("/console/accounts/{a}/destinations",
                Map.of("url", "https://normal.example.invalid/", "http_method", "POST", "headers", ""), account).then());
        forbidden(normal.post("/console/accounts/{a}/destinations/{d}/delete", Map.of(), account, destination).then());
        forbidden(normal.post("/console/accounts/{a}/destinations/{d}/enabled", Map.of("enabled", "false"), account,
                destination).then());
        forbidden(normal.post("/console/accounts/{a}/members",
                Map.of("email", Api.uniqueEmail("by-normal"), "role", "admin", "password", Api.PASSWORD), account).then());
        forbidden(normal.post("/console/accounts/{a}/members/{m}/role", Map.of("role", "admin"), account, normalMemberId)
                .then());
        forbidden(normal.post("/console/accounts/{a}/members/{m}/delete", Map.of(), account, adminMemberId).then());

        Api.as(adminToken).get("/accounts/{a}", account).then().statusCode(200).body("app_secret_token", equalTo(token));
        Api.as(adminToken).get("/accounts/{a}/destinations", account).then().body("total", equalTo(1))
                .body("items[0].enabled", equalTo(true));
        Api.as(adminToken).get("/accounts/{a}/members", account).then().body("total", equalTo(2));
        Api.as(adminToken).get("/accounts/{a}/members/{m}", account, normalMemberId).then().body("role", equalTo("normal"));
    }

    @Test
    void normalMember_mayEditTheAccountAndADestination_asTheContractAllows() {
        normal.post("/console/accounts/{a}", Map.of("name", "Renamed by normal", "website", ""), account).then()
                .statusCode(303);
        normal.post("/console/accounts/{a}/destinations/{d}",
                Map.of("url", "https://hooks.example.invalid/by-normal", "http_method", "PUT", "headers", "X-Team: ops"),
                account, destination).then().statusCode(303);
        Api.as(adminToken).get("/accounts/{a}", account).then().body("name", equalTo("Renamed by normal"));
        Api.as(adminToken).get("/accounts/{a}/destinations/{d}", account, destination).then()
                .body("url", equalTo("https://hooks.example.invalid/by-normal")).body("http_method", equalTo("PUT"))
                .body("headers.X-Team", equalTo("ops"));
    }

    @Test
    void admin_formsDoWhatTheApiDoes() {
        String before = Api.appToken(adminToken, account);
        admin.post("/console/accounts/{a}/token", Map.of(), account).then().statusCode(303)
                .header("Location", containsString("notice=token-rotated"));
        String after = Api.appToken(adminToken, account);
        org.junit.jupiter.api.Assertions.assertNotEquals(before, after);

        admin.post("/console/accounts/{a}/members/{m}/role", Map.of("role", "admin"), account, normalMemberId).then()
                .statusCode(303);
        Api.as(adminToken).get("/accounts/{a}/members/{m}", account, normalMemberId).then().body("role", equalTo("admin"));

        admin.post("/console/accounts/{a}/destinations/{d}/enabled", Map.of("enabled", "false"), account, destination)
                .then().statusCode(303);
        Api.as(adminToken).get("/accounts/{a}/destinations/{d}", account, destination).then()
                .body("enabled", equalTo(false)).body("disabled_reason", equalTo("disabled by an admin"));
        admin.get("/console/accounts/{a}/destinations/{d}", account, destination).then().statusCode(200)
                .body(containsString("disabled by an admin"), containsString("Enable again"));
        admin.post("/console/accounts/{a}/destinations/{d}/enabled", Map.of("enabled", "true"), account, destination)
                .then().statusCode(303);
        Api.as(adminToken).get("/accounts/{a}/destinations/{d}", account, destination).then().body("enabled", equalTo(true));

        admin.post("/console/accounts/{a}/destinations/{d}/delete", Map.of(), account, destination).then().statusCode(303);
        Api.as(adminToken).get("/accounts/{a}/destinations", account).then().body("total", equalTo(0));

        admin.post("/console/accounts/{a}/delete", Map.of(), account).then().statusCode(303);
        Api.as(adminToken).get("/accounts/{a}", account).then().statusCode(404);
    }

    @Test
    void formErrors_areShownOnTheForm_withTheApisRules() {
        admin.post("/console/accounts/{a}/destinations",
                Map.of("url", "ftp://nope", "http_method", "POST", "headers", "Host: evil"), account).then()
                .statusCode(400).body(containsString("aria-invalid=\"true\""), containsString("ftp://nope"));
        admin.post("/console/accounts/{a}/destinations",
                Map.of("url", "https://ok.example.invalid/", "http_method", "POST", "headers", "no colon here"), account)
                .then().statusCode(400).body(containsString("line 1 is not Name: value"));
        // the last admin cannot be demoted, as in the API
        admin.post("/console/accounts/{a}/members/{m}/role", Map.of("role", "normal"), account, adminMemberId).then()
                .statusCode(409).body(containsString("at least one admin"));
        Api.as(adminToken).get("/accounts/{a}/destinations", account).then().body("total", equalTo(1));
    }

    @Test
    void outsider_getsNotFound_forEveryPageOfTheAccount() {
        for (String path : new String[] { "/console/accounts/{a}", "/console/accounts/{a}/destinations",
                "/console/accounts/{a}/members", "/console/accounts/{a}/logs" }) {
            outsider.get(path, account).then().statusCode(404).body(containsString("Not found"));
        }
        outsider.post("/console/accounts/{a}/delete", Map.of(), account).then().statusCode(404);
        Api.as(adminToken).get("/accounts/{a}", account).then().statusCode(200);
        outsider.get("/console/accounts").then().statusCode(200).body(not(containsString(account)));
    }

}
