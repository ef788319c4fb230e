package io.datapusher.common;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.datapusher.testing.Destinations;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Paging at its limits and SQL/LIKE/JSON metacharacters in every search and filter of the list
 * endpoints: a 200 with the right items or a 400 in the contract's shape, never a 5xx and never
 * a database message in the body (issue 12, item 5 in part).
 */
@QuarkusTest
class HostileQueryTest {
    private static final List<String> NASTY = List.of("'", "\"", "%", "_", "\\", "%_%", "' OR '1'='1",
            "'; DROP TABLE accounts; --",
            "\u0000", "{\"$gt\":\"\"}", "${jndi:ldap://x}", "a".repeat(300), "é\u202e", "[]", "\\u0000");

    private String admin;
    private String account;

    @BeforeEach
    void anAccountWithADestination() {
        admin = Api.newUserToken("hostile");
        account = Api.createAccount(admin, "Plain name");
        Destinations.create(admin, account, "https://plain.example.invalid/hook");
    }

    @Test
    void pagingAtItsLimits_isAnEmptyPageOrInvalidData_neverAnError() {
        for (String path : List.of("/accounts", "/accounts/" + account + "/destinations",
                "/accounts/" + account + "/members")) {
            // the last page whose offset fits the query is an empty page; one past it is refused
            safe(Api.as(admin).queryParam("page", Integer.MAX_VALUE / 20).get(path)).statusCode(200)
                    .body("items", empty());
            invalid(Api.as(admin).queryParam("page", Integer.MAX_VALUE).get(path));
            invalid(Api.as(admin).queryParam("size", 0).get(path));
            invalid(Api.as(admin).queryParam("page", -1).get(path));
            invalid(Api.as(admin).queryParam("page", "2147483648").get(path));
            invalid(Api.as(admin).queryParam("size", "1e3").get(path));
        }
        invalid(Api.as(admin).queryParam("limit", 0).get("/accounts/{a}/logs", account));
        invalid(Api.as(admin).queryParam("limit", Integer.MAX_VALUE).get("/accounts/{a}/logs", account));
        invalid(Api.as(admin).queryParam("cursor", "'; DROP TABLE delivery_logs; --").get("/accounts/{a}/logs", account));
    }

    @Test
    void metacharactersInSearchesAndFilters_matchNothing_andBreakNothing() {
        for (String value : NASTY) {
            matchesNothing(value, Api.as(admin).queryParam("q", value).get("/accounts"));
            matchesNothing(value, Api.as(admin).queryParam("name", value).get("/accounts"));
            matchesNothing(value, Api.as(admin).queryParam("website", value).get("/accounts"));
            matchesNothing(value, Api.as(admin).queryParam("q", value).get("/accounts/{a}/destinations", account));
            matchesNothing(value, Api.as(admin).queryParam("q", value).get("/accounts/{a}/members", account));
            matchesNothing(value, Api.as(admin).queryParam("event_id", value).get("/accounts/{a}/logs", account));
        }
        // the account and its destination are still there, found by their plain names
        Api.as(admin).queryParam("q", "plain").get("/accounts").then().statusCode(200).body("items.size()", is(1));
        Api.as(admin).queryParam("q", "plain").get("/accounts/{a}/destinations", account).then().statusCode(200)
                .body("items.size()", is(1));
    }

    /** 200 with no items, or 400 Invalid Data for a value the filter does not take. */
    private static void matchesNothing(String value, io.restassured.response.Response response) {
        safe(response).statusCode(anyOf(is(200), is(400)));
        String expected = response.statusCode() == 200 ? "[]" : "Invalid Data";
        String actual = response.statusCode() == 200 ? response.path("items").toString() : response.path("message");
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual,
                "for " + value.substring(0, Math.min(20, value.length())));
    }

    private static void invalid(io.restassured.response.Response response) {
        safe(response).statusCode(400).body("message", equalTo("Invalid Data"));
    }

    private static ValidatableResponse safe(io.restassured.response.Response response) {
        return response.then().body(not(containsString("SQL"))).body(not(containsString("Exception")))
                .body(not(containsString("org.")));
    }
}
