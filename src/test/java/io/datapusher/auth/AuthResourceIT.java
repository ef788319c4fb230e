package io.datapusher.auth;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same tests against the packaged app (prod profile), configured only by {@code LocalServices}. */
@QuarkusIntegrationTest
class AuthResourceIT extends AuthResourceTest {
}
