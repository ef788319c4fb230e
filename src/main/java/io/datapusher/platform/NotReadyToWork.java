package io.datapusher.platform;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.Readiness;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * Background jobs that use the database skip their turn while the app is starting or stopping,
 * and while the schema is older than this build (a replica waiting for the migrate Job): they
 * would only fail, and log it every second, against tables that are not there yet.
 */
@Singleton
public class NotReadyToWork implements Scheduled.SkipPredicate {
    private final Scheduled.ApplicationNotRunning applicationNotRunning;
    private final SchemaReadiness schema;

    NotReadyToWork(Scheduled.ApplicationNotRunning applicationNotRunning, @Readiness SchemaReadiness schema) {
        this.applicationNotRunning = applicationNotRunning;
        this.schema = schema;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return applicationNotRunning.test(execution) || !schema.isMigrated();
    }
}
