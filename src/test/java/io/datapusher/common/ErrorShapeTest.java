package io.datapusher.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.datapusher.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Failures the REST layer itself detects still answer in the contract's error shape. */
@QuarkusTest
class ErrorShapeTest {

    private static ValidatableResponse isContractError(ValidatableResponse response, String message) {
        return response.contentType(ContentType.JSON)
                .body("success", equalTo(false))
                .body("message", equalTo(message))
                .body(not(containsString("Exception")))
                .body(not(containsString("io.datapusher")))
                .body(not(containsString("at ")));
    }

    @Test
    void malformedJson_isInvalidData() {
        String token = Api.newUserToken("malformed");
        isContractError(Api.as(token).body("{\"name\": ").post("/accounts").then().statusCode(400), "Invalid Data")
                .body("errors.field", hasItem("body"));
    }

    @Test
    void jsonArrayInsteadOfObject_isInvalidData() {
        String token = Api.newUserToken("array");
        isContractError(Api.as(token).body("[]").post("/accounts").then().statusCode(400), "Invalid Data");
    }

    @Test
    void emptyBody_isInvalidData() {
        String token = Api.newUserToken("empty");
        isContractError(Api.as(token).post("/accounts").then().statusCode(400), "Invalid Data");
    }

    @Test
    void numberWhereAStringBelongs_isInvalidDataNamingTheField() {
        String token = Api.newUserToken("types");
        isContractError(Api.as(token).body(Map.of("name", 5)).post("/accounts").then().statusCode(400), "Invalid Data")
                .body("errors.field", hasItem("name"));
        isContractError(Api.as(token).body(Map.of("name", true)).post("/accounts").then().statusCode(400), "Invalid Data")
                .body("errors.field", hasItem("name"));
        isContractError(Api.as(token).body(Map.of("name", Map.of("a", "b"))).post("/accounts").then().statusCode(400),
                "Invalid Data").body("errors.field", hasItem("name"));
    }

    @Test
    void textPlainBody_isInvalidData() {
        String token = Api.newUserToken("plain");
        isContractError(given().auth().oauth2(token).contentType(ContentType.TEXT).body("name=Acme")
                .post("/accounts").then().statusCode(400), "Invalid Data");
    }

    @Test
    void unknownPath_isNotFoundInContractShape() {
        isContractError(given().get("/no/such/path").then().statusCode(404), "Not Found");
        isContractError(given().post("/nothing-here").then().statusCode(404), "Not Found");
    }

    @Test
    void unknownPathUnderAnAccount_isNotFoundInContractShape() {
        String token = Api.newUserToken("unknown-sub");
        String account = Api.createAccount(token, "Sub");
        isContractError(Api.as(token).get("/accounts/{a}/no-such-thing", account).then().statusCode(404), "Not Found");
    }

    @Test
    void wrongMethod_isMethodNotAllowedWithAllow() {
        String token = Api.newUserToken("method");
        isContractError(Api.as(token).body("{}").patch("/accounts").then().statusCode(405), "Invalid Data")
                .header("Allow", containsString("GET"))
                .header("Allow", containsString("POST"));
        String account = Api.createAccount(token, "Methods");
        isContractError(Api.as(token).post("/accounts/{a}", account).then().statusCode(405), "Invalid Data")
                .header("Allow", containsString("PUT"))
                .header("Allow", containsString("DELETE"));
        isContractError(Api.as(token).delete("/accounts/{a}/destinations", account).then().statusCode(405),
                "Invalid Data").header("Allow", notNullValue());
        isContractError(Api.as(token).put("/accounts/{a}/members", account).then().statusCode(405),
                "Invalid Data").header("Allow", notNullValue());
    }

    @Test
    void options_isNotServed_andNamesExactlyTheMethodsThePathServes() {
        String token = Api.newUserToken("options");
        String account = Api.createAccount(token, "Options");
        isContractError(Api.as(token).options("/accounts").then().statusCode(405), "Invalid Data")
                .header("Allow", equalTo("GET, HEAD, POST"));
        isContractError(Api.as(token).options("/accounts/{a}", account).then().statusCode(405), "Invalid Data")
                .header("Allow", equalTo("DELETE, GET, HEAD, PUT"));
        isContractError(Api.as(token).options("/no-such-path").then().statusCode(404), "Not Found");
    }

    @Test
    void nonUuidPathIds_areNotFound() {
        String token = Api.newUserToken("ids");
        String account = Api.createAccount(token, "Ids");
        isContractError(Api.as(token).get("/accounts/not-a-uuid").then().statusCode(404), "Not Found");
        isContractError(Api.as(token).get("/accounts/{a}/destinations/123", account).then().statusCode(404),
                "Not Found");
        isContractError(Api.as(token).delete("/accounts/{a}/members/xyz", account).then().statusCode(404),
                "Not Found");
    }

    @Test
    void unknownUuidPathId_isNotFound() {
        String token = Api.newUserToken("unknown-id");
        isContractError(Api.as(token).get("/accounts/{a}", UUID.randomUUID()).then().statusCode(404), "Not Found")
                .body("errors", nullValue());
    }

    @Test
    void badQueryParameters_areInvalidDataNamingTheParameter() {
        String token = Api.newUserToken("query");
        String account = Api.createAccount(token, "Query");
        isContractError(Api.as(token).queryParam("page", "abc").get("/accounts").then().statusCode(400), "Invalid Data")
                .body("errors.field", hasItem("page"));
        isContractError(Api.as(token).queryParam("size", "0").get("/accounts").then().statusCode(400), "Invalid Data")
                .body("errors.field", hasItem("size"));
        isContractError(Api.as(token).queryParam("size", "101").get("/accounts/{a}/destinations", account).then()
                .statusCode(400), "Invalid Data").body("errors.field", hasItem("size"));
        isContractError(Api.as(token).queryParam("page", "-1").get("/accounts/{a}/members", account).then()
                .statusCode(400), "Invalid Data").body("errors.field", hasItem("page"));
    }

    @Test
    void missingBearer_isUnauthenticatedOnEveryManagementApi() {
        String id = UUID.randomUUID().toString();
        isContractError(given().get("/accounts").then().statusCode(401), "Unauthenticated");
        isContractError(given().get("/accounts/{a}/destinations", id).then().statusCode(401), "Unauthenticated");
        isContractError(given().get("/accounts/{a}/members", id).then().statusCode(401), "Unauthenticated");
    }
}
