package io.datapusher.member;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class MemberResourceTest {
    private String adminEmail;
    private String adminId;
    private String admin;
    private String account;

    @BeforeEach
    void makeAnAdminWithAnAccount() {
        adminEmail = Api.uniqueEmail("mem-admin");
        adminId = Api.signup(adminEmail);
        admin = Api.login(adminEmail);
        account = Api.createAccount(admin, "Members");
    }

    @Test
    void create_withNewEmail_createsTheUserWithThatPassword() {
        String email = Api.uniqueEmail("mem-new");
        String userId = Api.as(admin).body(Map.of("email", email, "role", "normal", "password", "new user password"))
                .post("/accounts/{a}/members", account).then().statusCode(201)
                .body("id", notNullValue())
                .body("account_id", equalTo(account))
                .body("email", equalTo(email))
                .body("role", equalTo("normal"))
                .body("created_at", notNullValue())
                .body("updated_at", notNullValue())
                .body("created_by", equalTo(adminId))
                .body("updated_by", equalTo(adminId))
                .extract().path("user_id");

        String token = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "new user password")).post("/auth/login").then()
                .statusCode(200).extract().path("access_token");
        Api.as(token).get("/auth/me").then().body("id", equalTo(userId))
                .body("memberships.account_id", contains(account))
                .body("memberships.role", contains("normal"));
        // a user made this way cannot sign up again with the same email
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Api.PASSWORD))
                .post("/auth/signup").then().statusCode(409);
    }

    @Test
    void create_withNewEmailWithoutPassword_isInvalidDataOnPassword_andCreatesNoUser() {
        String email = Api.uniqueEmail("mem-nopw");
        Api.as(admin).body(Map.of("email", email, "role", "normal")).post("/accounts/{a}/members", account).then()
                .statusCode(400).body("message", equalTo("Invalid Data")).body("errors.field", contains("password"));
        Api.signup(email); // the email is still free
        Api.as(admin).get("/accounts/{a}/members", account).then().body("total", equalTo(1));
    }

    @Test
    void create_withExistingEmail_reusesTheUser_inAnyCase_andLeavesTheirPasswordAlone() {
        String email = Api.uniqueEmail("mem-existing");
        String userId = Api.signup(email);

        Api.as(admin).body(Map.of("email", email.toUpperCase(), "role", "admin", "password", "an attempt to change it"))
                .post("/accounts/{a}/members", account).then().statusCode(201)
                .body("user_id", equalTo(userId))
                .body("email", equalTo(email))
                .body("role", equalTo("admin"));

        Api.login(email); // the old password still works
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "an attempt to change it"))
                .post("/auth/login").then().statusCode(401);
    }

    @Test
    void create_withExistingEmailWithoutPassword_isAccepted() {
        String email = Api.uniqueEmail("mem-existing-nopw");
        String userId = Api.signup(email);
        Api.as(admin).body(Map.of("email", email, "role", "normal")).post("/accounts/{a}/members", account).then()
                .statusCode(201).body("user_id", equalTo(userId));
    }

    @Test
    void create_aSecondTime_isConflict() {
        String email = Api.uniqueEmail("mem-dup");
        Api.addMember(admin, account, email, "normal");
        Api.as(admin).body(Map.of("email", email, "role", "admin")).post("/accounts/{a}/members", account).then()
                .statusCode(409).body("success", equalTo(false)).body("message", equalTo("Conflict"))
                .body("errors.field", contains("email"));
        Api.as(admin).body(Map.of("email", adminEmail.toUpperCase(), "role", "normal"))
                .post("/accounts/{a}/members", account).then().statusCode(409);
    }

    @Test
    void create_sameUserInTwoAccounts_isFine() {
        String email = Api.uniqueEmail("mem-two");
        String other = Api.createAccount(admin, "Second");
        Api.addMember(admin, account, email, "normal");
        Api.addMember(admin, other, email, "admin");
        String token = Api.login(email);
        Api.as(token).get("/auth/me").then().body("memberships.account_id", containsInAnyOrder(account, other));
    }

    @Test
    void create_withInvalidFields_listsEachOne() {
        Api.as(admin).body(Map.of("email", "not-an-email", "role", "owner", "password", "short"))
                .post("/accounts/{a}/members", account).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("email", "role", "password"));
        Api.as(admin).body(Map.of("password", Api.PASSWORD)).post("/accounts/{a}/members", account).then()
                .statusCode(400).body("errors.field", containsInAnyOrder("email", "role"));
        Api.as(admin).body(Map.of("email", Api.uniqueEmail("mem-role"), "role", "Admin", "password", Api.PASSWORD))
                .post("/accounts/{a}/members", account).then().statusCode(400).body("errors.field", contains("role"));
        Api.as(admin).body(Map.of("email", Api.uniqueEmail("mem-long"), "role", "normal", "password", "p".repeat(73)))
                .post("/accounts/{a}/members", account).then().statusCode(400)
                .body("errors.field", contains("password"));
    }

    @Test
    void create_withWrongJsonTypes_isInvalidDataNamingTheField() {
        Api.as(admin).body(Map.of("email", 5, "role", "normal")).post("/accounts/{a}/members", account).then()
                .statusCode(400).body("errors.field", contains("email"));
        Api.as(admin).body(Map.of("email", Api.uniqueEmail("mem-type"), "role", true))
                .post("/accounts/{a}/members", account).then().statusCode(400).body("errors.field", contains("role"));
        Api.as(admin).body(Map.of("email", Api.uniqueEmail("mem-type"), "role", "normal", "password", 12345678))
                .post("/accounts/{a}/members", account).then().statusCode(400)
                .body("errors.field", contains("password"));
    }

    @Test
    void updateRole_promotesAndDemotes_andRecordsWhoChangedIt() {
        String memberId = Api.addMember(admin, account, Api.uniqueEmail("mem-role"), "normal");
        Api.as(admin).body(Map.of("role", "admin")).put("/accounts/{a}/members/{m}", account, memberId).then()
                .statusCode(200).body("role", equalTo("admin")).body("id", equalTo(memberId))
                .body("updated_by", equalTo(adminId));
        Api.as(admin).body(Map.of("role", "normal")).put("/accounts/{a}/members/{m}", account, memberId).then()
                .statusCode(200).body("role", equalTo("normal"));
        Api.as(admin).get("/accounts/{a}/members/{m}", account, memberId).then().body("role", equalTo("normal"));
    }

    @Test
    void updateRole_withBadRole_isInvalidDataOnRole() {
        String memberId = Api.addMember(admin, account, Api.uniqueEmail("mem-badrole"), "normal");
        for (Object role : new Object[] { "owner", "", "ADMIN" }) {
            Api.as(admin).body(Map.of("role", role)).put("/accounts/{a}/members/{m}", account, memberId).then()
                    .statusCode(400).body("errors.field", contains("role"));
        }
        Api.as(admin).body(Map.of()).put("/accounts/{a}/members/{m}", account, memberId).then().statusCode(400)
                .body("errors.field", contains("role"));
        Api.as(admin).body(Map.of("role", 1)).put("/accounts/{a}/members/{m}", account, memberId).then()
                .statusCode(400).body("errors.field", contains("role"));
    }

    @Test
    void theLastAdmin_cannotBeDemotedOrRemoved() {
        String adminMemberId = adminMemberId();
        Api.addMember(admin, account, Api.uniqueEmail("mem-last-normal"), "normal");

        Api.as(admin).body(Map.of("role", "normal")).put("/accounts/{a}/members/{m}", account, adminMemberId).then()
                .statusCode(409).body("message", equalTo("Conflict"));
        Api.as(admin).delete("/accounts/{a}/members/{m}", account, adminMemberId).then().statusCode(409)
                .body("message", equalTo("Conflict"));

        Api.as(admin).get("/accounts/{a}/members/{m}", account, adminMemberId).then().body("role", equalTo("admin"));
        // "promoting" the last admin to admin again is not a demotion
        Api.as(admin).body(Map.of("role", "admin")).put("/accounts/{a}/members/{m}", account, adminMemberId).then()
                .statusCode(200);
    }

    @Test
    void withTwoAdmins_oneMayBeDemotedOrRemoved_thenTheOtherIsTheLast() {
        String firstAdmin = adminMemberId();
        String secondEmail = Api.uniqueEmail("mem-second-admin");
        String secondAdmin = Api.addMember(admin, account, secondEmail, "admin");
        String second = Api.login(secondEmail);

        // the first admin demotes themselves; the second is now the last
        Api.as(admin).body(Map.of("role", "normal")).put("/accounts/{a}/members/{m}", account, firstAdmin).then()
                .statusCode(200);
        Api.as(second).body(Map.of("role", "normal")).put("/accounts/{a}/members/{m}", account, secondAdmin).then()
                .statusCode(409);
        Api.as(second).delete("/accounts/{a}/members/{m}", account, secondAdmin).then().statusCode(409);

        // removing the former admin (now normal) is fine
        Api.as(second).delete("/accounts/{a}/members/{m}", account, firstAdmin).then().statusCode(204);
        Api.as(second).get("/accounts/{a}/members", account).then().body("items.id", contains(secondAdmin));
    }

    @Test
    void anAdminMayRemoveAnotherAdmin_whileOneRemains() {
        String other = Api.addMember(admin, account, Api.uniqueEmail("mem-other-admin"), "admin");
        Api.as(admin).delete("/accounts/{a}/members/{m}", account, other).then().statusCode(204);
        Api.as(admin).get("/accounts/{a}/members/{m}", account, other).then().statusCode(404);
    }

    @Test
    void concurrentSelfDemotionOrRemovalOfTwoAdmins_leavesExactlyOneAdmin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 4; round++) {
                String acct = Api.createAccount(admin, "Race " + round);
                String first = adminMemberId(acct);
                String secondEmail = Api.uniqueEmail("mem-race");
                String second = Api.addMember(admin, acct, secondEmail, "admin");
                String secondToken = Api.login(secondEmail);
                boolean removal = round % 2 == 1;
                // each admin acts on their own membership, so neither loses the right to act first
                List<Callable<Integer>> calls = List.of(
                        () -> Api.as(admin).body(Map.of("role", "normal"))
                                .put("/accounts/{a}/members/{m}", acct, first).then().extract().statusCode(),
                        removal
                                ? () -> Api.as(secondToken).delete("/accounts/{a}/members/{m}", acct, second).then()
                                        .extract().statusCode()
                                : () -> Api.as(secondToken).body(Map.of("role", "normal"))
                                        .put("/accounts/{a}/members/{m}", acct, second).then().extract().statusCode());
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : pool.invokeAll(calls)) {
                    statuses.add(f.get());
                }
                String what = "round " + round + ": " + statuses;
                assertEquals(1, statuses.stream().filter(s -> s == 409).count(), what);
                assertEquals(1, statuses.stream().filter(s -> s == 200 || s == 204).count(), what);
                int admins = Api.as(admin).queryParam("role", "admin").get("/accounts/{a}/members", acct).then()
                        .statusCode(200).extract().path("total");
                assertEquals(1, admins, what);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentAddsOfTheSameNewEmail_createOneUserAndOneMembership_theOtherIsConflict() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                String email = Api.uniqueEmail("mem-race-add");
                Callable<Integer> add = () -> Api.as(admin)
                        .body(Map.of("email", email, "role", "normal", "password", Api.PASSWORD))
                        .post("/accounts/{a}/members", account).then().extract().statusCode();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : pool.invokeAll(List.of(add, add))) {
                    statuses.add(f.get());
                }
                statuses.sort(null);
                assertEquals(List.of(201, 409), statuses, "round " + round);
                Api.as(admin).queryParam("q", email).get("/accounts/{a}/members", account).then()
                        .body("total", equalTo(1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void get_ofAMemberOfAnotherAccount_isNotFound() {
        String other = Api.createAccount(admin, "Other members");
        String foreign = Api.addMember(admin, other, Api.uniqueEmail("mem-foreign"), "normal");
        Api.as(admin).get("/accounts/{a}/members/{m}", account, foreign).then().statusCode(404);
        Api.as(admin).body(Map.of("role", "admin")).put("/accounts/{a}/members/{m}", account, foreign).then()
                .statusCode(404);
        Api.as(admin).delete("/accounts/{a}/members/{m}", account, foreign).then().statusCode(404);
        Api.as(admin).get("/accounts/{a}/members/{m}", other, foreign).then().statusCode(200);
        Api.as(admin).get("/accounts/{a}/members/{m}", account, UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void delete_removesTheMembershipButNotTheUser() {
        String email = Api.uniqueEmail("mem-del");
        String memberId = Api.addMember(admin, account, email, "normal");
        Api.as(admin).delete("/accounts/{a}/members/{m}", account, memberId).then().statusCode(204);
        Api.as(admin).get("/accounts/{a}/members/{m}", account, memberId).then().statusCode(404);
        String token = Api.login(email);
        Api.as(token).get("/auth/me").then().statusCode(200).body("memberships", hasSize(0));
        // and they can be added again
        Api.as(admin).body(Map.of("email", email, "role", "normal")).post("/accounts/{a}/members", account).then()
                .statusCode(201);
    }

    @Test
    void list_searchesEmailCaseInsensitively_andFiltersByRole_oldestFirst() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String alice = Api.addMember(admin, account, "alice-" + tag + "@example.com", "normal");
        String bob = Api.addMember(admin, account, "bob-" + tag + "@example.org", "admin");
        String carol = Api.addMember(admin, account, "carol-" + tag + "@example.com", "normal");
        String first = adminMemberId();

        Api.as(admin).get("/accounts/{a}/members", account).then().statusCode(200)
                .body("items.id", contains(first, alice, bob, carol)).body("total", equalTo(4));
        Api.as(admin).queryParam("q", "EXAMPLE.COM").queryParam("role", "normal")
                .get("/accounts/{a}/members", account).then().body("items.id", contains(alice, carol));
        Api.as(admin).queryParam("q", "bob-" + tag).get("/accounts/{a}/members", account).then()
                .body("items.id", contains(bob)).body("items[0].email", equalTo("bob-" + tag + "@example.org"));
        Api.as(admin).queryParam("role", "admin").get("/accounts/{a}/members", account).then()
                .body("items.id", contains(first, bob)).body("total", equalTo(2));
        Api.as(admin).queryParam("q", "nobody-here").get("/accounts/{a}/members", account).then()
                .body("items", hasSize(0)).body("total", equalTo(0));
    }

    @Test
    void list_withBadRole_isInvalidDataOnRole() {
        for (String role : new String[] { "owner", "Admin", "1" }) {
            Api.as(admin).queryParam("role", role).get("/accounts/{a}/members", account).then().statusCode(400)
                    .body("message", equalTo("Invalid Data")).body("errors.field", contains("role"));
        }
    }

    @Test
    void list_pagesWithPageAndSize() {
        List<String> ids = new ArrayList<>();
        ids.add(adminMemberId());
        for (int i = 0; i < 4; i++) {
            ids.add(Api.addMember(admin, account, Api.uniqueEmail("mem-page"), "normal"));
        }
        Api.as(admin).queryParam("size", 2).queryParam("page", 1).get("/accounts/{a}/members", account).then()
                .body("items.id", contains(ids.get(2), ids.get(3))).body("total", equalTo(5))
                .body("page", equalTo(1)).body("size", equalTo(2));
        Api.as(admin).queryParam("size", 2).queryParam("page", 2).get("/accounts/{a}/members", account).then()
                .body("items.id", contains(ids.get(4)));
        Api.as(admin).queryParam("size", "x").get("/accounts/{a}/members", account).then().statusCode(400)
                .body("errors.field", hasItem("size"));
    }

    private String adminMemberId() {
        return adminMemberId(account);
    }

    private String adminMemberId(String acct) {
        return Api.as(admin).queryParam("q", adminEmail).get("/accounts/{a}/members", acct).then().statusCode(200)
                .extract().path("items[0].id");
    }
}
