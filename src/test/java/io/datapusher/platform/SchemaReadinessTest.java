package io.datapusher.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The check on a scratch database whose migration history the test writes itself; SchemaMigrationIT
 * runs the real migrate Job against a running replica.
 */
class SchemaReadinessTest {
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.+\\.sql");
    private static final String DATABASE = System.getenv().getOrDefault("DATAPUSHER_TEST_DB", "datapusher_test") + "_schema";

    private PGSimpleDataSource dataSource;

    @BeforeEach
    void scratchDatabase() throws SQLException {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            admin.createStatement().execute("DROP DATABASE IF EXISTS \"" + DATABASE + "\" WITH (FORCE)");
            admin.createStatement().execute("CREATE DATABASE \"" + DATABASE + "\"");
        }
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl("jdbc:postgresql://127.0.0.1:5432/" + DATABASE);
        dataSource.setUser("postgres");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute(sql);
        }
    }

    private void history(String... versionAndSuccess) throws SQLException {
        execute("CREATE TABLE flyway_schema_history (version varchar(50), success boolean NOT NULL)");
        for (String row : versionAndSuccess) {
            String[] parts = row.split(":");
            execute("INSERT INTO flyway_schema_history VALUES ('" + parts[0] + "', " + parts[1] + ")");
        }
    }

    @Test
    void requiredVersion_isTheNewestMigration() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            int newest = files.map(f -> MIGRATION.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .max(Comparator.naturalOrder()).orElseThrow();
            assertEquals(String.valueOf(newest), SchemaReadiness.REQUIRED_VERSION,
                    "a migration was added: raise SchemaReadiness.REQUIRED_VERSION to it");
        }
    }

    @Test
    void emptyDatabase_isDown_sayingToRunTheMigration() {
        HealthCheckResponse response = new SchemaReadiness(dataSource).call();

        assertEquals(Status.DOWN, response.getStatus());
        assertTrue(reason(response).contains("no migrations at all: run the migrate Job"), reason(response));
    }

    @Test
    void olderSchema_isDown() throws SQLException {
        history("1:true", "10:true");

        HealthCheckResponse response = new SchemaReadiness(dataSource).call();

        assertEquals(Status.DOWN, response.getStatus());
        assertTrue(reason(response).contains("V" + SchemaReadiness.REQUIRED_VERSION + " is not applied yet"),
                reason(response));
    }

    @Test
    void failedRequiredMigration_isDown() throws SQLException {
        history("10:true", SchemaReadiness.REQUIRED_VERSION + ":false");

        assertEquals(Status.DOWN, new SchemaReadiness(dataSource).call().getStatus());
    }

    @Test
    void requiredMigrationApplied_isUp_andStaysUpWithoutAskingAgain() throws SQLException {
        history("10:true", SchemaReadiness.REQUIRED_VERSION + ":true", "12:true");
        SchemaReadiness check = new SchemaReadiness(dataSource);

        assertEquals(Status.UP, check.call().getStatus());
        execute("DROP TABLE flyway_schema_history");
        assertEquals(Status.UP, check.call().getStatus());
    }

    @Test
    void becomesUp_onceTheMigrationLands() throws SQLException {
        SchemaReadiness check = new SchemaReadiness(dataSource);
        assertEquals(Status.DOWN, check.call().getStatus());

        history(SchemaReadiness.REQUIRED_VERSION + ":true");

        assertEquals(Status.UP, check.call().getStatus());
    }

    private static String reason(HealthCheckResponse response) {
        return String.valueOf(response.getData().orElseThrow().get("reason"));
    }
}
