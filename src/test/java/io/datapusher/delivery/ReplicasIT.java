package io.datapusher.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.datapusher.testing.WebhookReceiver;
import io.datapusher.testing.WebhookReceiver.Reply;
import io.restassured.http.ContentType;

/**
 * Replicas as separate processes of the packaged app (prod profile, configured like a
 * deployment), on one database and one queue: a replica killed with SIGKILL in the middle of a
 * delivery loses nothing, and the rate limit is one budget for all replicas.
 *
 * <p>
 * Run with {@code ./mvnw verify -DskipITs=false -Dit.test=ReplicasIT} (it needs the jar that
 * {@code package} builds). It uses its own database and queue, named after DATAPUSHER_TEST_DB.
 */
class ReplicasIT {
    private static final String DATABASE = System.getenv().getOrDefault("DATAPUSHER_TEST_DB", "datapusher_test")
            + "_replicas";
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE;
    private static final Path WORK = Path.of("target", "replicas").toAbsolutePath();

    private final List<Process> replicas = new ArrayList<>();

    @BeforeAll
    static void freshDatabaseAndKeys() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS \"" + DATABASE + "\" WITH (FORCE)");
            c.createStatement().execute("CREATE DATABASE \"" + DATABASE + "\"");
        }
        Files.createDirectories(WORK);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(WORK.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Files.writeString(WORK.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    }

    @AfterEach
    void stopReplicas() {
        replicas.forEach(Process::destroyForcibly);
    }

    @Test
    void aReplicaKilledMidDelivery_losesNoEvent_anotherOneDeliversIt() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()
                .answering(n -> n == 1 ? Reply.status(200).after(60_000) : Reply.status(200))) {
            int a = startReplica("a-kill");
            Account account = Account.create(a);
            UUID destinationId = account.destination(a, receiver.url("/held"));
            send(a, account.token(), "evt-killed", "{\"k\":1}", 202);

            // replica a is in the middle of the attempt: the destination holds the request
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.count() == 1);
            replicas.get(0).destroyForcibly().waitFor();

            startReplica("b-takeover");
            // b's retry poller takes the log over once a's lease has run out
            await().atMost(Duration.ofSeconds(90)).until(() -> "success".equals(statusOf(destinationId)));
            assertEquals(2, receiver.count());
            assertEquals("evt-killed", receiver.received().get(1).header("webhook-id"));
            assertEquals("{\"k\":1}", new String(receiver.received().get(1).body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theRateLimit_isOneBudget_forRequestsSpreadOverTwoReplicas() throws Exception {
        // 0.2 per second: a bucket of one token, refilled after 5 s. One budget lets 1 request
        // through in a burst shorter than that; a budget per replica would let 2 through.
        int a = startReplica("a-rate", "datapusher.ingest.rate-per-second=0.2");
        int b = startReplica("b-rate", "datapusher.ingest.rate-per-second=0.2");
        Account account = Account.create(a);
        Account warmUp = Account.create(b);
        send(a, warmUp.token(), "warm-a", "{}", 202);
        send(b, warmUp.token(), "warm-b", "{}", -1);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int port = i % 2 == 0 ? a : b;
            String eventId = "rate-" + i;
            calls.add(() -> send(port, account.token(), eventId, "{}", -1));
        }
        long started = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> status : pool.invokeAll(calls)) {
            statuses.add(status.get());
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();

        long accepted = statuses.stream().filter(s -> s == 202).count();
        long limited = statuses.stream().filter(s -> s == 429).count();
        System.out.printf("rate limit 0.2/s over two replicas: %d accepted, %d limited in %.3f s%n", accepted, limited,
                elapsed);
        assertEquals(24, accepted + limited, statuses.toString());
        assertTrue(accepted >= 1 && accepted <= 1 + Math.floor(elapsed * 0.2),
                accepted + " accepted in " + elapsed + " s: " + statuses);
        assumeTrue(elapsed < 5.0, "too slow to tell one budget from two: " + elapsed + " s");
        assertEquals(1, accepted, statuses.toString());
    }

    // --- replicas

    /** Starts the packaged app with deployment-style settings; answers its HTTP port once ready. */
    private int startReplica(String name, String... extraProperties) throws IOException {
        int port = freePort();
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "package the app first: " + jar);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + JDBC_URL,
                "-Dquarkus.datasource.username=postgres",
                "-Damqp-host=127.0.0.1", "-Damqp-port=5672", "-Damqp-username=guest", "-Damqp-password=guest",
                "-Dmp.jwt.verify.publickey.location=" + WORK.resolve("public.pem"),
                "-Dsmallrye.jwt.sign.key.location=" + WORK.resolve("private.pem"),
                "-Ddatapusher.queue=datapusher.deliveries." + DATABASE,
                "-Ddatapusher.delivery.allowed-cidrs=127.0.0.0/8",
                "-Ddatapusher.delivery.timeout=2s",
                "-Ddatapusher.delivery.initial-backoff=500ms",
                "-Ddatapusher.outbox.sweep-interval=1s",
                "-Dquarkus.log.console.json.enabled=false"));
        for (String property : extraProperties) {
            command.add("-D" + property);
        }
        command.addAll(List.of("-jar", jar.toString()));
        File log = WORK.resolve(name + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log)).start();
        replicas.add(process);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertTrue(process.isAlive(), "replica " + name + " died, see " + log);
            try {
                return given().port(port).get("/q/health/ready").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int send(int port, String token, String eventId, String json, int expected) {
        int status = given().port(port).header("CL-X-TOKEN", token).header("CL-X-EVENT-ID", eventId)
                .contentType(ContentType.JSON).body(json.getBytes(StandardCharsets.UTF_8))
                .post("/server/incoming_data").statusCode();
        if (expected > 0) {
            assertEquals(expected, status);
        }
        return status;
    }

    /** A user and an account made through one replica's API. */
    private record Account(UUID id, UUID userId, String token) {
        static Account create(int port) {
            String email = "replica-" + UUID.randomUUID() + "@example.com";
            Map<String, String> credentials = Map.of("email", email, "password", "correct horse battery");
            String userId = given().port(port).contentType(ContentType.JSON).body(credentials).post("/auth/signup")
                    .then().statusCode(201).extract().path("id");
            String bearer = given().port(port).contentType(ContentType.JSON).body(credentials).post("/auth/login")
                    .then().statusCode(200).extract().path("access_token");
            String id = given().port(port).auth().oauth2(bearer).contentType(ContentType.JSON)
                    .body(Map.of("name", "Replicas")).post("/accounts").then().statusCode(201).extract().path("id");
            String token = given().port(port).auth().oauth2(bearer).get("/accounts/{id}", id).then().statusCode(200)
                    .extract().path("app_secret_token");
            return new Account(UUID.fromString(id), UUID.fromString(userId), token);
        }

        /** Stored directly: the destination API is another feature's. */
        UUID destination(int port, String url) throws SQLException {
            UUID destinationId = UUID.randomUUID();
            try (Connection c = DriverManager.getConnection(JDBC_URL, "postgres", "");
                    PreparedStatement insert = c.prepareStatement("""
                            INSERT INTO destinations (id, account_id, url, http_method, headers, signing_secret,
                                                      created_at, updated_at, created_by, updated_by)
                            VALUES (?, ?, ?, 'POST', '{}'::jsonb, ?, now(), now(), ?, ?)""")) {
                insert.setObject(1, destinationId);
                insert.setObject(2, id);
                insert.setString(3, url);
                insert.setString(4, "whsec_" + Base64.getEncoder().encodeToString(new byte[24]));
                insert.setObject(5, userId);
                insert.setObject(6, userId);
                insert.executeUpdate();
            }
            return destinationId;
        }
    }

    private static String statusOf(UUID destinationId) throws SQLException {
        try (Connection c = DriverManager.getConnection(JDBC_URL, "postgres", "");
                PreparedStatement query = c.prepareStatement("SELECT status FROM delivery_logs WHERE destination_id = ?")) {
            query.setObject(1, destinationId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
