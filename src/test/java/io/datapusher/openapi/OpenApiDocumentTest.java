package io.datapusher.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The openapi.yaml at the repository root is what the service serves at /q/openapi. Refresh it
 * with {@code ./mvnw test -Dtest=OpenApiDocumentTest -Dopenapi.update=true}.
 */
@QuarkusTest
class OpenApiDocumentTest {
    private static final Path COMMITTED = Path.of("openapi.yaml");

    @Test
    void committedDocument_equalsTheServedOne() throws IOException {
        String served = given().queryParam("format", "yaml").get("/q/openapi")
                .then().statusCode(200).extract().asString();
        if (Boolean.getBoolean("openapi.update")) {
            Files.writeString(COMMITTED, served, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        assertEquals(committed, served,
                "openapi.yaml differs from /q/openapi; run ./mvnw test -Dtest=OpenApiDocumentTest -Dopenapi.update=true and review the diff");
    }
}
