package io.datapusher.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points every test, and the packaged app under @QuarkusIntegrationTest (which runs the prod
 * profile), at the machine's own PostgreSQL and RabbitMQ, and gives them one RS256 key pair in
 * files, as a deployment would. Creates the test database when it is missing.
 */
public class LocalServices implements QuarkusTestResourceLifecycleManager {
    public static final String DATABASE = System.getenv().getOrDefault("DATAPUSHER_TEST_DB", "datapusher_test");
    public static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE;
    public static final String QUEUE = "datapusher.deliveries." + DATABASE;

    @Override
    public Map<String, String> start() {
        createDatabaseIfMissing();
        Path keys = writeKeyPair();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", JDBC_URL);
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "");
        config.put("amqp-host", "127.0.0.1");
        config.put("amqp-port", "5672");
        config.put("amqp-username", "guest");
        config.put("amqp-password", "guest");
        config.put("datapusher.queue", QUEUE);
        config.put("mp.jwt.verify.publickey.location", keys.resolve("public.pem").toString());
        config.put("smallrye.jwt.sign.key.location", keys.resolve("private.pem").toString());
        return config;
    }

    @Override
    public void stop() {
        // the services outlive the tests
    }

    private static void createDatabaseIfMissing() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            try (var exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, DATABASE);
                if (exists.executeQuery().next()) {
                    return;
                }
            }
            try (var create = c.createStatement()) {
                create.execute("CREATE DATABASE \"" + DATABASE.replace("\"", "") + "\"");
            }
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // created meanwhile by a parallel run
                throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed for the tests", e);
            }
        }
    }

    private static Path writeKeyPair() {
        try {
            Path dir = Path.of("target", "test-keys").toAbsolutePath();
            Path privateKey = dir.resolve("private.pem");
            if (Files.exists(privateKey)) {
                return dir;
            }
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                    StandardCharsets.US_ASCII);
            Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            return dir;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("could not write the test key pair", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
