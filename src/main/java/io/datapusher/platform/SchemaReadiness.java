package io.datapusher.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the database holds the schema this build was written for. On Kubernetes the
 * replicas do not migrate (QUARKUS_FLYWAY_ACTIVE=false, which also keeps Flyway out of their
 * start-up): the migrate Job does, once per release. A replica that starts before the Job has
 * finished waits here, out of the Service, instead of failing requests against an old schema.
 */
@Readiness
@ApplicationScoped
public class SchemaReadiness implements HealthCheck {
    static final String NAME = "Database schema";
    /** The newest migration in db/migration; SchemaReadinessTest fails when a newer one is added. */
    static final String REQUIRED_VERSION = "29";

    private static final String UNDEFINED_TABLE = "42P01";
    private static final String RUN_THE_JOB = "run the migrate Job (QUARKUS_INIT_AND_EXIT=true)";

    private final DataSource dataSource;
    // Migrations only move forward: once the required one is there, asking again is wasted work.
    private volatile boolean migrated;

    SchemaReadiness(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Whether the required migration is applied; false while that cannot be read. */
    public boolean isMigrated() {
        try {
            return readMigrated();
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).withData("required", "V" + REQUIRED_VERSION);
        try {
            return readMigrated() ? response.up().build()
                    : response.down().withData("reason", "migration V" + REQUIRED_VERSION + " is not applied yet: "
                            + RUN_THE_JOB).build();
        } catch (SQLException e) {
            String reason = UNDEFINED_TABLE.equals(e.getSQLState())
                    ? "the database has no migrations at all: " + RUN_THE_JOB
                    : "cannot read the migration history: " + e.getMessage();
            return response.down().withData("reason", reason).build();
        }
    }

    private boolean readMigrated() throws SQLException {
        if (migrated) {
            return true;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT EXISTS (SELECT 1 FROM flyway_schema_history WHERE version = ? AND success)")) {
            query.setString(1, REQUIRED_VERSION);
            try (ResultSet row = query.executeQuery()) {
                migrated = row.next() && row.getBoolean(1);
            }
        }
        return migrated;
    }
}
