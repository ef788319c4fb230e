package io.datapusher.member;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.datapusher.testing.Destinations;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Every row of the contract's role table, for an admin, a normal member and a user who is not a
 * member (404, so an account's existence does not leak). Denied calls come first and are then
 * shown to have changed nothing. The logs rows (read, redeliver) are in DeliveryLogResourceTest
 * (nonMember_getsNotFound_..., normalMember_canRead_butRedeliverIsForbidden, admin redelivery).
 */
@QuarkusTest
class RoleTableTest {
    private String admin;
    private String normal;
    private String outsider;
    private String account;
    private String normalMemberId;
    private String adminMemberId;

    @BeforeEach
    void makeAnAccountWithAnAdminANormalMemberAndAnOutsider() {
        admin = Api.newUserToken("role-admin");
        account = Api.createAccount(admin, "Role table");
        String normalEmail = Api.uniqueEmail("role-normal");
        normalMemberId = Api.addMember(admin, account, normalEmail, "normal");
        normal = Api.login(normalEmail);
        outsider = Api.newUserToken("role-outsider");
        adminMemberId = Api.as(admin).queryParam("role", "admin").get("/accounts/{a}/members", account)
                .then().statusCode(200).extract().path("items[0].id");
        // the outsider has an account of their own, so they are a normal user of the service
        Api.createAccount(outsider, "Elsewhere");
    }

    private static void forbidden(ValidatableResponse response) {
        response.statusCode(403).body("success", equalTo(false)).body("message", equalTo("Forbidden"));
    }

    private static void notFound(ValidatableResponse response) {
        response.statusCode(404).body("success", equalTo(false)).body("message", equalTo("Not Found"));
    }

    // --- account: read, update (admin yes, normal yes)

    @Test
    void accountRead_adminAndNormalMay_outsiderGetsNotFound() {
        Api.as(admin).get("/accounts/{a}", account).then().statusCode(200).body("id", equalTo(account));
        Api.as(normal).get("/accounts/{a}", account).then().statusCode(200).body("id", equalTo(account));
        notFound(Api.as(outsider).get("/accounts/{a}", account).then());
    }

    @Test
    void accountRead_listsTheAccountForAdminAndNormal_notForOutsider() {
        Api.as(admin).get("/accounts").then().statusCode(200).body("items.id", hasItem(account));
        Api.as(normal).get("/accounts").then().statusCode(200).body("items.id", hasItem(account));
        Api.as(outsider).get("/accounts").then().statusCode(200).body("items.id", not(hasItem(account)));
    }

    @Test
    void accountUpdate_adminAndNormalMay_outsiderGetsNotFound() {
        notFound(Api.as(outsider).body(Map.of("name", "Outsider was here")).put("/accounts/{a}", account).then());
        Api.as(admin).get("/accounts/{a}", account).then().body("name", equalTo("Role table"));

        Api.as(normal).body(Map.of("name", "By normal")).put("/accounts/{a}", account).then().statusCode(200)
                .body("name", equalTo("By normal"));
        Api.as(admin).body(Map.of("name", "By admin")).put("/accounts/{a}", account).then().statusCode(200)
                .body("name", equalTo("By admin"));
    }

    // --- account: delete, rotate token (admin yes, normal no)

    @Test
    void accountDelete_onlyAdminMay() {
        forbidden(Api.as(normal).delete("/accounts/{a}", account).then());
        notFound(Api.as(outsider).delete("/accounts/{a}", account).then());
        Api.as(admin).get("/accounts/{a}", account).then().statusCode(200);

        Api.as(admin).delete("/accounts/{a}", account).then().statusCode(204);
        notFound(Api.as(admin).get("/accounts/{a}", account).then());
    }

    @Test
    void accountRotateToken_onlyAdminMay() {
        String before = Api.appToken(admin, account);
        forbidden(Api.as(normal).post("/accounts/{a}/token", account).then());
        notFound(Api.as(outsider).post("/accounts/{a}/token", account).then());
        Api.as(admin).get("/accounts/{a}", account).then().body("app_secret_token", equalTo(before));

        String after = Api.as(admin).post("/accounts/{a}/token", account).then().statusCode(200)
                .extract().path("app_secret_token");
        Api.as(admin).get("/accounts/{a}", account).then().body("app_secret_token", equalTo(after));
    }

    // --- destinations: create, delete (admin yes, normal no)

    @Test
    void destinationCreate_onlyAdminMay() {
        forbidden(Api.as(normal).body(Destinations.body("https://normal.example.invalid/hook"))
                .post("/accounts/{a}/destinations", account).then());
        notFound(Api.as(outsider).body(Destinations.body("https://outsider.example.invalid/hook"))
                .post("/accounts/{a}/destinations", account).then());
        Api.as(admin).get("/accounts/{a}/destinations", account).then().body("total", equalTo(0));

        Api.as(admin).body(Destinations.body("https://admin.example.invalid/hook"))
                .post("/accounts/{a}/destinations", account).then().statusCode(201);
        Api.as(admin).get("/accounts/{a}/destinations", account).then().body("total", equalTo(1));
    }

    @Test
    void destinationDelete_onlyAdminMay() {
        String destination = Destinations.create(admin, account, "https://hooks.example.invalid/delete-me");
        forbidden(Api.as(normal).delete("/accounts/{a}/destinations/{d}", account, destination).then());
        notFound(Api.as(outsider).delete("/accounts/{a}/destinations/{d}", account, destination).then());
        Api.as(admin).get("/accounts/{a}/destinations/{d}", account, destination).then().statusCode(200);

        Api.as(admin).delete("/accounts/{a}/destinations/{d}", account, destination).then().statusCode(204);
        notFound(Api.as(admin).get("/accounts/{a}/destinations/{d}", account, destination).then());
    }

    // --- destinations: read, update (admin yes, normal yes)

    @Test
    void destinationRead_adminAndNormalMay_outsiderGetsNotFound() {
        String destination = Destinations.create(admin, account, "https://hooks.example.invalid/read");
        for (String token : new String[] { admin, normal }) {
            Api.as(token).get("/accounts/{a}/destinations", account).then().statusCode(200)
                    .body("items.id", hasItem(destination));
            Api.as(token).get("/accounts/{a}/destinations/{d}", account, destination).then().statusCode(200)
                    .body("url", equalTo("https://hooks.example.invalid/read"));
        }
        notFound(Api.as(outsider).get("/accounts/{a}/destinations", account).then());
        notFound(Api.as(outsider).get("/accounts/{a}/destinations/{d}", account, destination).then());
    }

    @Test
    void destinationUpdate_adminAndNormalMay_outsiderGetsNotFound() {
        String destination = Destinations.create(admin, account, "https://hooks.example.invalid/before");
        notFound(Api.as(outsider).body(Destinations.body("https://outsider.example.invalid/"))
                .put("/accounts/{a}/destinations/{d}", account, destination).then());
        Api.as(admin).get("/accounts/{a}/destinations/{d}", account, destination).then()
                .body("url", equalTo("https://hooks.example.invalid/before"));

        Api.as(normal).body(Destinations.body("https://hooks.example.invalid/by-normal"))
                .put("/accounts/{a}/destinations/{d}", account, destination).then().statusCode(200)
                .body("url", equalTo("https://hooks.example.invalid/by-normal"));
        Api.as(admin).body(Destinations.body("https://hooks.example.invalid/by-admin"))
                .put("/accounts/{a}/destinations/{d}", account, destination).then().statusCode(200)
                .body("url", equalTo("https://hooks.example.invalid/by-admin"));
    }

    // --- members: create, update, delete (admin yes, normal no)

    @Test
    void memberCreate_onlyAdminMay() {
        Map<String, String> body = Map.of("email", Api.uniqueEmail("new-member"), "role", "normal", "password",
                Api.PASSWORD);
        forbidden(Api.as(normal).body(body).post("/accounts/{a}/members", account).then());
        notFound(Api.as(outsider).body(body).post("/accounts/{a}/members", account).then());
        Api.as(admin).get("/accounts/{a}/members", account).then().body("total", equalTo(2));

        Api.as(admin).body(body).post("/accounts/{a}/members", account).then().statusCode(201);
        Api.as(admin).get("/accounts/{a}/members", account).then().body("total", equalTo(3));
    }

    @Test
    void memberUpdate_onlyAdminMay() {
        forbidden(Api.as(normal).body(Map.of("role", "admin")).put("/accounts/{a}/members/{m}", account, normalMemberId)
                .then());
        notFound(Api.as(outsider).body(Map.of("role", "admin"))
                .put("/accounts/{a}/members/{m}", account, normalMemberId).then());
        Api.as(admin).get("/accounts/{a}/members/{m}", account, normalMemberId).then().body("role", equalTo("normal"));

        Api.as(admin).body(Map.of("role", "admin")).put("/accounts/{a}/members/{m}", account, normalMemberId).then()
                .statusCode(200).body("role", equalTo("admin"));
    }

    @Test
    void memberDelete_onlyAdminMay() {
        forbidden(Api.as(normal).delete("/accounts/{a}/members/{m}", account, adminMemberId).then());
        forbidden(Api.as(normal).delete("/accounts/{a}/members/{m}", account, normalMemberId).then());
        notFound(Api.as(outsider).delete("/accounts/{a}/members/{m}", account, normalMemberId).then());
        Api.as(admin).get("/accounts/{a}/members", account).then().body("total", equalTo(2));

        Api.as(admin).delete("/accounts/{a}/members/{m}", account, normalMemberId).then().statusCode(204);
        Api.as(admin).get("/accounts/{a}/members", account).then().body("total", equalTo(1));
    }

    // --- members: read (admin yes, normal yes)

    @Test
    void memberRead_adminAndNormalMay_outsiderGetsNotFound() {
        for (String token : new String[] { admin, normal }) {
            Api.as(token).get("/accounts/{a}/members", account).then().statusCode(200)
                    .body("items.id", hasItem(normalMemberId))
                    .body("items.id", hasItem(adminMemberId));
            Api.as(token).get("/accounts/{a}/members/{m}", account, adminMemberId).then().statusCode(200)
                    .body("role", equalTo("admin"));
        }
        notFound(Api.as(outsider).get("/accounts/{a}/members", account).then());
        notFound(Api.as(outsider).get("/accounts/{a}/members/{m}", account, adminMemberId).then());
    }

    // --- secrets: shown to admins only

    @Test
    void appSecretToken_isShownToAdmins_hiddenFromNormalMembers() {
        Api.as(admin).get("/accounts/{a}", account).then().body("app_secret_token", notNullValue());
        Api.as(normal).get("/accounts/{a}", account).then().statusCode(200).body("$", not(hasKey("app_secret_token")));
        Api.as(normal).body(Map.of("name", "Renamed")).put("/accounts/{a}", account).then().statusCode(200)
                .body("$", not(hasKey("app_secret_token")));
        Api.as(admin).body(Map.of("name", "Renamed again")).put("/accounts/{a}", account).then().statusCode(200)
                .body("app_secret_token", notNullValue());
        // lists never carry the token, whatever the role
        String inList = "items.find { it.id == '" + account + "' }";
        Api.as(admin).get("/accounts").then().body(inList + ".name", equalTo("Renamed again"))
                .body(inList, not(hasKey("app_secret_token")));
    }

    @Test
    void signingSecret_isShownToAdmins_hiddenFromNormalMembers() {
        String destination = Destinations.create(admin, account, "https://hooks.example.invalid/secret");

        Api.as(admin).get("/accounts/{a}/destinations/{d}", account, destination).then()
                .body("signing_secret", startsWith("whsec_"));
        Api.as(admin).get("/accounts/{a}/destinations", account).then()
                .body("items.signing_secret", everyItem(startsWith("whsec_")));

        Api.as(normal).get("/accounts/{a}/destinations/{d}", account, destination).then().statusCode(200)
                .body("$", not(hasKey("signing_secret")));
        Api.as(normal).get("/accounts/{a}/destinations", account).then().statusCode(200)
                .body("items[0]", not(hasKey("signing_secret")));
        Api.as(normal).body(Destinations.body("https://hooks.example.invalid/secret-2"))
                .put("/accounts/{a}/destinations/{d}", account, destination).then().statusCode(200)
                .body("$", not(hasKey("signing_secret")));
    }

    @Test
    void aPromotedMember_seesSecretsAtOnce_andADemotedOneNoLonger() {
        String destination = Destinations.create(admin, account, "https://hooks.example.invalid/promote");
        Api.as(normal).get("/accounts/{a}", account).then().body("$", not(hasKey("app_secret_token")));

        Api.as(admin).body(Map.of("role", "admin")).put("/accounts/{a}/members/{m}", account, normalMemberId).then()
                .statusCode(200);
        Api.as(normal).get("/accounts/{a}", account).then().body("app_secret_token", notNullValue());
        Api.as(normal).get("/accounts/{a}/destinations/{d}", account, destination).then()
                .body("signing_secret", startsWith("whsec_"));

        Api.as(admin).body(Map.of("role", "normal")).put("/accounts/{a}/members/{m}", account, normalMemberId).then()
                .statusCode(200);
        Api.as(normal).get("/accounts/{a}", account).then().body("$", not(hasKey("app_secret_token")));
        forbidden(Api.as(normal).delete("/accounts/{a}/destinations/{d}", account, destination).then());
    }

    @Test
    void aRemovedMember_losesAccessAtOnce() {
        Api.as(normal).get("/accounts/{a}", account).then().statusCode(200);
        Api.as(admin).delete("/accounts/{a}/members/{m}", account, normalMemberId).then().statusCode(204);
        notFound(Api.as(normal).get("/accounts/{a}", account).then());
        notFound(Api.as(normal).get("/accounts/{a}/destinations", account).then());
    }

    @Test
    void anAccountThatDoesNotExist_looksTheSameAsOneTheCallerIsNotIn() {
        String missing = java.util.UUID.randomUUID().toString();
        notFound(Api.as(outsider).get("/accounts/{a}", missing).then());
        notFound(Api.as(outsider).get("/accounts/{a}/destinations", missing).then());
        notFound(Api.as(outsider).get("/accounts/{a}/members", missing).then());
        notFound(Api.as(outsider).delete("/accounts/{a}", missing).then());
    }
}
