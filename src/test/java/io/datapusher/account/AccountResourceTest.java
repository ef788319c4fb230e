package io.datapusher.account;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.datapusher.testing.Api;
import io.datapusher.testing.Destinations;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AccountResourceTest {

    @Inject
    AccountTokens accountTokens;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void create_answersTheAccountWithTokenAndAudit_andMakesTheCallerAdmin() {
        String email = Api.uniqueEmail("acct-create");
        String userId = Api.signup(email);
        String token = Api.login(email);

        String id = Api.as(token).body(Map.of("name", "  Acme Shop  ", "website", "https://shop.example.com"))
                .post("/accounts").then().statusCode(201)
                .body("name", equalTo("Acme Shop"))
                .body("website", equalTo("https://shop.example.com"))
                .body("app_secret_token", notNullValue())
                .body("created_at", notNullValue())
                .body("updated_at", notNullValue())
                .body("created_by", equalTo(userId))
                .body("updated_by", equalTo(userId))
                .extract().path("id");

        Api.as(token).get("/auth/me").then().body("memberships.find { it.account_id == '" + id + "' }.role",
                equalTo("admin"));
        Api.as(token).get("/accounts/{a}/members", id).then().body("items.email", contains(email))
                .body("items.role", contains("admin"));
    }

    @Test
    void create_tokenIsUrlSafeAndAtLeast32RandomBytes() {
        String token = Api.newUserToken("acct-token");
        String first = Api.appToken(token, Api.createAccount(token, "One"));
        String second = Api.appToken(token, Api.createAccount(token, "Two"));
        assertTrue(first.matches("[A-Za-z0-9_-]{43,}"), first);
        assertNotEquals(first, second);
    }

    @Test
    void create_withoutWebsite_hasNullWebsite() {
        String token = Api.newUserToken("acct-nosite");
        Api.as(token).body(Map.of("name", "No site")).post("/accounts").then().statusCode(201)
                .body("website", nullValue());
    }

    @Test
    void create_withBlankOrMissingName_isInvalidDataOnName() {
        String token = Api.newUserToken("acct-blank");
        Api.as(token).body(Map.of("name", "   ")).post("/accounts").then().statusCode(400)
                .body("message", equalTo("Invalid Data")).body("errors.field", contains("name"));
        Api.as(token).body(Map.of("website", "https://example.com")).post("/accounts").then().statusCode(400)
                .body("errors.field", contains("name"));
        Api.as(token).body(Map.of("name", "x".repeat(201))).post("/accounts").then().statusCode(400)
                .body("errors.field", contains("name"));
    }

    @Test
    void create_withBadWebsite_isInvalidDataOnWebsite() {
        String token = Api.newUserToken("acct-site");
        for (String website : List.of("not a url", "ftp://example.com", "example.com", "/relative",
                "https://user:pw@example.com/", "javascript:alert(1)", "http://")) {
            Api.as(token).body(Map.of("name", "Site", "website", website)).post("/accounts").then().statusCode(400)
                    .body("message", equalTo("Invalid Data")).body("errors.field", contains("website"));
        }
    }

    @Test
    void create_withBlankNameAndBadWebsite_listsBothFields() {
        String token = Api.newUserToken("acct-both");
        Api.as(token).body(Map.of("name", "", "website", "nope")).post("/accounts").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("name", "website"));
    }

    @Test
    void list_showsOnlyTheCallersAccounts_newestFirst_withoutTokens() {
        String mine = Api.newUserToken("acct-mine");
        String theirs = Api.newUserToken("acct-theirs");
        String older = Api.createAccount(mine, "Older");
        String newer = Api.createAccount(mine, "Newer");
        String other = Api.createAccount(theirs, "Not mine");

        Api.as(mine).get("/accounts").then().statusCode(200)
                .body("items.id", contains(newer, older))
                .body("items.id", not(hasItem(other)))
                .body("items.app_secret_token", contains(nullValue(), nullValue()))
                .body("total", equalTo(2));
    }

    @Test
    void list_searchesNameAndWebsite_caseInsensitively() {
        String token = Api.newUserToken("acct-search");
        String byName = create(token, "Blue Widgets", "https://one.example.com");
        String byWebsite = create(token, "Other", "https://www.BLUE-shop.example.com");
        String neither = create(token, "Red", "https://red.example.com");

        Api.as(token).queryParam("q", "blue").get("/accounts").then().statusCode(200)
                .body("items.id", containsInAnyOrder(byName, byWebsite)).body("total", equalTo(2));
        Api.as(token).queryParam("name", "WIDGET").get("/accounts").then()
                .body("items.id", contains(byName));
        Api.as(token).queryParam("website", "blue-shop").get("/accounts").then()
                .body("items.id", contains(byWebsite));
        Api.as(token).queryParam("name", "red").queryParam("website", "red.example").get("/accounts").then()
                .body("items.id", contains(neither));
        Api.as(token).queryParam("q", "blue").queryParam("name", "other").get("/accounts").then()
                .body("items.id", contains(byWebsite));
        Api.as(token).queryParam("q", "nothing-like-this").get("/accounts").then()
                .body("items", hasSize(0)).body("total", equalTo(0));
    }

    @Test
    void list_searchTreatsLikeWildcardsLiterally() {
        String token = Api.newUserToken("acct-like");
        String percent = create(token, "100% Cotton", null);
        create(token, "Plain", null);
        Api.as(token).queryParam("q", "%").get("/accounts").then().body("items.id", contains(percent));
        Api.as(token).queryParam("q", "_").get("/accounts").then().body("items", hasSize(0));
    }

    @Test
    void list_pagesWithPageAndSize() {
        String token = Api.newUserToken("acct-page");
        String[] ids = new String[5];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Api.createAccount(token, "Paged " + i);
        }
        // newest first: ids[4], ids[3] | ids[2], ids[1] | ids[0]
        Api.as(token).queryParam("size", 2).get("/accounts").then()
                .body("items.id", contains(ids[4], ids[3])).body("page", equalTo(0)).body("size", equalTo(2))
                .body("total", equalTo(5));
        Api.as(token).queryParam("size", 2).queryParam("page", 1).get("/accounts").then()
                .body("items.id", contains(ids[2], ids[1])).body("page", equalTo(1));
        Api.as(token).queryParam("size", 2).queryParam("page", 2).get("/accounts").then()
                .body("items.id", contains(ids[0]));
        Api.as(token).queryParam("size", 2).queryParam("page", 9).get("/accounts").then()
                .body("items", hasSize(0)).body("total", equalTo(5));
        Api.as(token).get("/accounts").then().body("size", equalTo(20)).body("items", hasSize(5));
    }

    @Test
    void list_withBadPaging_isInvalidDataNamingTheParameter() {
        String token = Api.newUserToken("acct-badpage");
        Map<String, String> bad = Map.of("page", "abc", "size", "0");
        bad.forEach((name, value) -> Api.as(token).queryParam(name, value).get("/accounts").then().statusCode(400)
                .body("errors.field", contains(name)));
        Api.as(token).queryParam("size", "101").get("/accounts").then().statusCode(400)
                .body("errors.field", contains("size"));
        Api.as(token).queryParam("page", "-1").get("/accounts").then().statusCode(400)
                .body("errors.field", contains("page"));
        Api.as(token).queryParam("q", "x".repeat(201)).get("/accounts").then().statusCode(400)
                .body("errors.field", contains("q"));
    }

    @Test
    void update_replacesNameAndWebsite_andRecordsWhoChangedIt() {
        String email = Api.uniqueEmail("acct-upd-admin");
        String adminId = Api.signup(email);
        String admin = Api.login(email);
        String id = create(admin, "Before", "https://before.example.com");
        String normalEmail = Api.uniqueEmail("acct-upd-normal");
        Api.addMember(admin, id, normalEmail, "normal");
        String normal = Api.login(normalEmail);
        String normalId = Api.as(normal).get("/auth/me").then().extract().path("id");
        String createdAt = Api.as(admin).get("/accounts/{a}", id).then().extract().path("created_at");

        Api.as(normal).body(Map.of("name", "After")).put("/accounts/{a}", id).then().statusCode(200)
                .body("name", equalTo("After"))
                .body("website", nullValue())
                .body("created_by", equalTo(adminId))
                .body("updated_by", equalTo(normalId))
                .body("created_at", equalTo(createdAt))
                .body("updated_at", not(equalTo(createdAt)));
        Api.as(admin).get("/accounts/{a}", id).then().body("name", equalTo("After")).body("website", nullValue());
    }

    @Test
    void update_withInvalidBody_isInvalidData_andChangesNothing() {
        String token = Api.newUserToken("acct-upd-bad");
        String id = create(token, "Keep", "https://keep.example.com");
        Api.as(token).body(Map.of("name", "")).put("/accounts/{a}", id).then().statusCode(400)
                .body("errors.field", contains("name"));
        Api.as(token).body(Map.of("name", "New", "website", "mailto:a@b.c")).put("/accounts/{a}", id).then()
                .statusCode(400).body("errors.field", contains("website"));
        Api.as(token).get("/accounts/{a}", id).then().body("name", equalTo("Keep"))
                .body("website", equalTo("https://keep.example.com"));
    }

    @Test
    void rotateToken_givesANewToken_andTheOldOneNoLongerMapsToTheAccount() {
        String token = Api.newUserToken("acct-rotate");
        String id = Api.createAccount(token, "Rotate");
        String old = Api.appToken(token, id);
        assertEquals(Optional.of(UUID.fromString(id)), accountTokens.accountIdFor(old)); // now cached

        String fresh = Api.as(token).post("/accounts/{a}/token", id).then().statusCode(200)
                .body("app_secret_token", notNullValue()).extract().path("app_secret_token");

        assertNotEquals(old, fresh);
        Api.as(token).get("/accounts/{a}", id).then().body("app_secret_token", equalTo(fresh));
        assertEquals(Optional.empty(), accountTokens.accountIdFor(old));
        assertEquals(Optional.of(UUID.fromString(id)), accountTokens.accountIdFor(fresh));
    }

    @Test
    void rotateToken_withoutBodyOrContentType_works() {
        String token = Api.newUserToken("acct-rotate-plain");
        String id = Api.createAccount(token, "Rotate plain");
        io.restassured.RestAssured.given().auth().oauth2(token).post("/accounts/{a}/token", id).then()
                .statusCode(200).body("app_secret_token", notNullValue());
    }

    @Test
    void delete_removesTheAccountItsDestinationsAndMembers_andItsToken() throws SQLException {
        String admin = Api.newUserToken("acct-del");
        String id = Api.createAccount(admin, "Doomed");
        String appToken = Api.appToken(admin, id);
        Destinations.create(admin, id, "https://hooks.example.invalid/one");
        Destinations.create(admin, id, "https://hooks.example.invalid/two");
        String normalEmail = Api.uniqueEmail("acct-del-normal");
        Api.addMember(admin, id, normalEmail, "normal");
        String keep = Api.createAccount(admin, "Survivor");
        Destinations.create(admin, keep, "https://hooks.example.invalid/keep");
        assertEquals(Optional.of(UUID.fromString(id)), accountTokens.accountIdFor(appToken));
        assertEquals(2, count("destinations", id));
        assertEquals(2, count("account_members", id));

        Api.as(admin).delete("/accounts/{a}", id).then().statusCode(204);

        Api.as(admin).get("/accounts/{a}", id).then().statusCode(404);
        assertEquals(0, countAccounts(id));
        assertEquals(0, count("destinations", id));
        assertEquals(0, count("account_members", id));
        assertEquals(Optional.empty(), accountTokens.accountIdFor(appToken));
        // the members' users stay; only memberships go
        Api.login(normalEmail);
        // another account of the same admin is untouched
        assertEquals(1, count("destinations", keep));
        assertEquals(1, count("account_members", keep));
    }

    @Test
    void delete_twice_isNotFound() {
        String token = Api.newUserToken("acct-del-twice");
        String id = Api.createAccount(token, "Twice");
        Api.as(token).delete("/accounts/{a}", id).then().statusCode(204);
        Api.as(token).delete("/accounts/{a}", id).then().statusCode(404).body("message", equalTo("Not Found"));
    }

    private static String create(String token, String name, String website) {
        Map<String, String> body = new HashMap<>();
        body.put("name", name);
        if (website != null) {
            body.put("website", website);
        }
        return Api.as(token).body(body).post("/accounts").then().statusCode(201).extract().path("id");
    }

    private long count(String table, String accountId) throws SQLException {
        return queryCount("SELECT count(*) FROM " + table + " WHERE account_id = ?", accountId);
    }

    private long countAccounts(String accountId) throws SQLException {
        return queryCount("SELECT count(*) FROM accounts WHERE id = ?", accountId);
    }

    private long queryCount(String sql, String accountId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, UUID.fromString(accountId));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
