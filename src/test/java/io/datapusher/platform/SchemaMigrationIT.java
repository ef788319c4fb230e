package io.datapusher.platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.PackagedReplicas;
import io.datapusher.testing.PackagedReplicas.Exit;
import io.datapusher.testing.PackagedReplicas.Replica;

/**
 * The Kubernetes release flow on the packaged jar: a replica that does not migrate
 * (QUARKUS_FLYWAY_ACTIVE=false, as k8s/base/deployment.yaml runs it) starts on an empty database
 * and stays unready; the migrate Job's command (QUARKUS_INIT_AND_EXIT=true, k8s/base/migrate-job.yaml)
 * migrates and exits 0 without JWT keys; the waiting replica then becomes ready by itself.
 */
class SchemaMigrationIT {
    private final PackagedReplicas replicas = new PackagedReplicas("migrate");

    @AfterEach
    void stop() {
        replicas.killAll();
    }

    @Test
    void replicaWaitsUnready_untilTheMigrateJobHasRun() throws Exception {
        replicas.freshDatabaseAndKeys();
        Replica replica = replicas.launch("replica", "quarkus.flyway.active=false");
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            assertTrue(replica.process().isAlive(), "the replica died, see " + replica.log());
            return PackagedReplicas.readiness(replica.port()) != -1;
        });

        given().port(replica.port()).get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'Database schema' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Database schema' }.data.reason",
                        containsString("no migrations at all: run the migrate Job"));

        Exit job = replicas.runToExit("migrate-job", "quarkus.init-and-exit=true",
                "mp.jwt.verify.publickey.location=/nonexistent/public.pem",
                "smallrye.jwt.sign.key.location=/nonexistent/private.pem");

        assertEquals(0, job.code(), job.output());
        assertTrue(job.output().contains("Successfully applied " + SchemaReadiness.REQUIRED_VERSION + " migrations"),
                job.output());
        await().atMost(Duration.ofSeconds(30)).until(() -> PackagedReplicas.readiness(replica.port()) == 200);
        assertFalse(replica.logText().contains("Migrating schema"), "the replica migrated itself");
        // Its background jobs waited too, instead of failing against missing tables.
        String log = replica.logText().lines()
                // The AMQP connector sometimes registers its connection gauge twice while connecting
                // (a race in the library, seen in one of five runs here); Micrometer ignores the second.
                .filter(line -> !line.contains("Gauge has been already registered (MeterId{name='amqp.active.connections'"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertFalse(log.contains(" ERROR ") || log.contains(" WARN "), log);

        // Each release runs the Job again: with nothing to do it still succeeds.
        Exit again = replicas.runToExit("migrate-job-again", "quarkus.init-and-exit=true");
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("No migration necessary"), again.output());
    }
}
