package io.datapusher.platform;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The probes' endpoints on the packaged app (prod profile). */
@QuarkusIntegrationTest
class HealthIT extends HealthTest {
}
