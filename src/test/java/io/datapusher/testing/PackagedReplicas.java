package io.datapusher.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.restassured.http.ContentType;

/**
 * The packaged app started as separate processes (prod profile, configured like a deployment),
 * all on one fresh database and one queue, both named after DATAPUSHER_TEST_DB and the given
 * name. Used by the integration tests that stop replicas (needs the jar that {@code package}
 * builds); each process logs to {@code target/<name>/<replica>.log}.
 */
public final class PackagedReplicas {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private final String database;
    private final String jdbcUrl;
    private final Path work;
    private final List<Process> started = new ArrayList<>();

    /** A running replica: its HTTP port, its process and its log file. */
    public record Replica(String name, int port, Process process, Path log) {
        public String logText() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
    }

    /**
     * A user and an account made through one replica's API: {@code token} is the account's
     * CL-X-TOKEN, {@code bearer} the user's access token (the account's admin).
     */
    public record Account(UUID id, UUID userId, String token, String bearer) {
    }

    public PackagedReplicas(String name) {
        this.database = System.getenv().getOrDefault("DATAPUSHER_TEST_DB", "datapusher_test") + "_" + name;
        this.jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/" + database;
        this.work = Path.of("target", name).toAbsolutePath();
    }

    /** Drops and creates the database, and writes a fresh JWT key pair for the replicas. */
    public void freshDatabaseAndKeys() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
            c.createStatement().execute("CREATE DATABASE \"" + database + "\"");
        }
        Files.createDirectories(work);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(work.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Files.writeString(work.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    }

    /** Starts the packaged app with deployment-style settings and waits until it is ready. */
    public Replica start(String name, String... extraProperties) throws IOException {
        return awaitReady(launch(name, extraProperties));
    }

    /**
     * Starts two replicas with the same settings at once (their start-ups overlap, which saves about
     * one start-up's time; Flyway's lock lets only one migrate) and waits until both are ready.
     */
    public List<Replica> startPair(String first, String second, String... extraProperties) throws IOException {
        Replica a = launch(first, extraProperties);
        Replica b = launch(second, extraProperties);
        return List.of(awaitReady(a), awaitReady(b));
    }

    private static Replica awaitReady(Replica replica) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertTrue(replica.process().isAlive(), "replica " + replica.name() + " died, see " + replica.log());
            return readiness(replica.port()) == 200;
        });
        return replica;
    }

    /** Starts the packaged app with deployment-style settings and returns at once. */
    public Replica launch(String name, String... extraProperties) throws IOException {
        int port = freePort();
        Path log = work.resolve(name + ".log");
        Process process = new ProcessBuilder(command(port, extraProperties)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        started.add(process);
        return new Replica(name, port, process, log);
    }

    /** How a run that stopped by itself ended. */
    public record Exit(int code, String output) {
    }

    /** Runs the packaged app until it exits by itself (within 2 minutes). */
    public Exit runToExit(String name, String... extraProperties) throws IOException, InterruptedException {
        Replica run = launch(name, extraProperties);
        assertTrue(run.process().waitFor(120, TimeUnit.SECONDS), "the app should have stopped by itself, see " + run.log());
        return new Exit(run.process().exitValue(), run.logText());
    }

    /** The status of /q/health/ready, or -1 while nothing answers. */
    public static int readiness(int port) {
        try {
            return given().port(port).get("/q/health/ready").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private List<String> command(int port, String... extraProperties) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "package the app first: " + jar);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + jdbcUrl,
                "-Dquarkus.datasource.username=postgres",
                "-Damqp-host=127.0.0.1", "-Damqp-port=5672", "-Damqp-username=guest", "-Damqp-password=guest",
                "-Dmp.jwt.verify.publickey.location=" + work.resolve("public.pem"),
                "-Dsmallrye.jwt.sign.key.location=" + work.resolve("private.pem"),
                "-Ddatapusher.queue=datapusher.deliveries." + database,
                "-Ddatapusher.destinations.allowed-cidrs=127.0.0.0/8",
                "-Ddatapusher.delivery.timeout=2s",
                "-Ddatapusher.delivery.initial-backoff=500ms",
                "-Ddatapusher.outbox.sweep-interval=1s",
                "-Dquarkus.log.console.json.enabled=false"));
        for (String property : extraProperties) {
            command.add("-D" + property);
        }
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    /** Kills every replica started that is still running. */
    public void killAll() {
        started.forEach(Process::destroyForcibly);
        started.clear();
    }

    public Account account(int port) {
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
        return new Account(UUID.fromString(id), UUID.fromString(userId), token, bearer);
    }

    /** A POST destination of the account, stored directly: the destination API is another feature's. */
    public UUID destination(Account account, String url) throws SQLException {
        UUID destinationId = UUID.randomUUID();
        try (Connection c = connect();
                PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO destinations (id, account_id, url, http_method, headers, signing_secret,
                                                  created_at, updated_at, created_by, updated_by)
                        VALUES (?, ?, ?, 'POST', '{}'::jsonb, ?, now(), now(), ?, ?)""")) {
            insert.setObject(1, destinationId);
            insert.setObject(2, account.id());
            insert.setString(3, url);
            insert.setString(4, "whsec_" + Base64.getEncoder().encodeToString(new byte[24]));
            insert.setObject(5, account.userId());
            insert.setObject(6, account.userId());
            insert.executeUpdate();
        }
        return destinationId;
    }

    /** POST /server/incoming_data; checks the status when {@code expected} is positive. */
    public static int send(int port, String token, String eventId, String json, int expected) {
        int status = given().port(port).header("CL-X-TOKEN", token).header("CL-X-EVENT-ID", eventId)
                .contentType(ContentType.JSON).body(json.getBytes(StandardCharsets.UTF_8))
                .post("/server/incoming_data").statusCode();
        if (expected > 0) {
            assertEquals(expected, status);
        }
        return status;
    }

    /** The status of the one log of a destination; null when there is none yet. */
    public String statusOf(UUID destinationId) throws SQLException {
        try (Connection c = connect();
                PreparedStatement query = c.prepareStatement("SELECT status FROM delivery_logs WHERE destination_id = ?")) {
            query.setObject(1, destinationId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** Runs one statement with one parameter on the replicas' database. */
    public void execute(String sql, Object parameter) throws SQLException {
        try (Connection c = connect(); PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setObject(1, parameter);
            statement.executeUpdate();
        }
    }

    /** The first column of the first row of a query with one parameter; null when there is no row. */
    public Object query(String sql, Object parameter) throws SQLException {
        try (Connection c = connect(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getObject(1) : null;
            }
        }
    }

    /** How many of the account's logs are in each status. */
    public Map<String, Integer> statusCounts(UUID accountId) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection c = connect();
                PreparedStatement query = c.prepareStatement(
                        "SELECT status, count(*) FROM delivery_logs WHERE account_id = ? GROUP BY status")) {
            query.setObject(1, accountId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return counts;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
