package io.datapusher.platform;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.datapusher.testing.LocalServices;

/**
 * Starts the packaged application (prod profile) the way a deployment does, from environment
 * variables only, with one required setting left out, and reads what it prints. Runs in failsafe,
 * after {@code package}: on the jar, or on the native executable when {@code -Dnative} built one.
 */
class MissingSettingsIT {
    private static final Path TARGET = Path.of("target");

    private static Map<String, String> deploymentEnvironment() {
        Map<String, String> keys = new LocalServices().start();
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", LocalServices.JDBC_URL);
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("AMQP_HOST", "127.0.0.1");
        env.put("AMQP_PORT", "5672");
        env.put("AMQP_USERNAME", "guest");
        env.put("AMQP_PASSWORD", "guest");
        env.put("DATAPUSHER_QUEUE", LocalServices.QUEUE);
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys.get("mp.jwt.verify.publickey.location"));
        env.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", keys.get("smallrye.jwt.sign.key.location"));
        return env;
    }

    /** The command that starts what {@code package} built, as Quarkus recorded it. */
    private static List<String> command() throws IOException {
        Path artifact = TARGET.resolve("quarkus-artifact.properties");
        assertTrue(Files.exists(artifact), "package the app first: " + artifact);
        Properties properties = new Properties();
        try (var in = Files.newInputStream(artifact)) {
            properties.load(in);
        }
        Path path = TARGET.resolve(properties.getProperty("path"));
        if ("native".equals(properties.getProperty("type"))) {
            return List.of(path.toAbsolutePath().toString());
        }
        return List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", path.toString());
    }

    /** Runs the app with exactly {@code env} (nothing inherited) and answers exit code and output. */
    private static Result run(Map<String, String> env) throws IOException, InterruptedException {
        Path output = Files.createTempFile("datapusher-start", ".log");
        ProcessBuilder builder = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            boolean exited = process.waitFor(120, TimeUnit.SECONDS);
            assertTrue(exited, "the app should have stopped by itself; it is still running");
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    @Test
    void withoutJwtPublicKeyLocation_startUpStopsNamingTheKey() throws Exception {
        Map<String, String> env = deploymentEnvironment();
        env.remove("MP_JWT_VERIFY_PUBLICKEY_LOCATION");

        Result result = run(env);

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("required setting mp.jwt.verify.publickey.location "
                + "(environment variable MP_JWT_VERIFY_PUBLICKEY_LOCATION) is not set"), result.output());
    }

    @Test
    void withUnreadableSigningKey_startUpStopsNamingTheKey() throws Exception {
        Map<String, String> env = deploymentEnvironment();
        env.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", "/nonexistent/private.pem");

        Result result = run(env);

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("smallrye.jwt.sign.key.location (environment variable "
                + "SMALLRYE_JWT_SIGN_KEY_LOCATION) names /nonexistent/private.pem, which is not a readable file"),
                result.output());
    }

    @Test
    void withoutDatabaseUrl_startUpStopsNamingTheKey() throws Exception {
        Map<String, String> env = deploymentEnvironment();
        env.remove("QUARKUS_DATASOURCE_JDBC_URL");

        Result result = run(env);

        assertNotEquals(0, result.exitCode(), result.output());
        // Quarkus' own message, from Hibernate ORM, before this app's observer would run.
        assertTrue(result.output().contains("set configuration property 'quarkus.datasource.jdbc.url'"),
                result.output());
    }

    private record Result(int exitCode, String output) {
    }
}
