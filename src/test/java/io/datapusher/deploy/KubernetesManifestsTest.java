package io.datapusher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks that the Kubernetes manifests in {@code k8s/} fit the application: probes on its health
 * endpoints and port, its image, configuration keys it reads, and a deployment that survives
 * node drains and scales. Each overlay is rendered with {@code kubectl kustomize} when kubectl is
 * on the PATH; without it only the base is checked, from its files.
 */
class KubernetesManifestsTest {
    private static final Path K8S = Path.of("k8s");
    private static final String APP = "data-pusher";
    private static final YAMLMapper YAML = new YAMLMapper();

    /** The standard keys the contract ("Configuration a deployment sets") lets a deployment set. */
    private static final Set<String> CONTRACT_KEYS = Set.of("quarkus.http.port", "quarkus.datasource.jdbc.url",
            "quarkus.datasource.username", "quarkus.datasource.password", "amqp-host", "amqp-port", "amqp-username",
            "amqp-password", "mp.jwt.verify.publickey.location", "smallrye.jwt.sign.key.location");

    @TempDir
    static Path work;

    // ---------------------------------------------------------------- rendering

    private static boolean kubectlAvailable() {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
    }

    /** The objects of {@code base}, {@code dev} or {@code prod}. */
    private static List<JsonNode> render(String target) throws IOException, InterruptedException {
        assertTrue(kubectlAvailable(), "kubectl must be on the PATH: it renders the overlays, as k8s/validate.sh does");
        Path copy = copyOfK8s();
        Path dir = target.equals("base") ? copy.resolve("base") : copy.resolve("overlays").resolve(target);
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        byte[] out = kubectl.getInputStream().readAllBytes();
        String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        assertEquals(0, kubectl.exitValue(), "kubectl kustomize " + target + " failed: " + err);
        return readAll(new String(out, StandardCharsets.UTF_8));
    }

    /**
     * A copy of k8s/ in which the dev overlay's key files exist: they are made by make-keys.sh and
     * never committed, and their content does not matter to rendering.
     */
    private static Path copyOfK8s() throws IOException {
        Path copy = work.resolve("k8s-" + System.nanoTime());
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path source : (Iterable<Path>) files.filter(p -> !p.toString().contains("node_modules"))::iterator) {
                Path target = copy.resolve(K8S.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        Path keys = Files.createDirectories(copy.resolve("overlays/dev/keys"));
        for (String name : List.of("public.pem", "private.pem")) {
            if (!Files.exists(keys.resolve(name))) {
                Files.writeString(keys.resolve(name), "stand-in");
            }
        }
        return copy;
    }

    private static List<JsonNode> readAll(String yaml) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (var values = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (values.hasNext()) {
                JsonNode node = (JsonNode) values.next();
                if (node != null && !node.isNull() && !node.isEmpty()) {
                    objects.add(node);
                }
            }
        }
        return objects;
    }

    private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    private static JsonNode one(List<JsonNode> objects, String kind, String name) {
        List<JsonNode> found = ofKind(objects, kind).stream()
                .filter(o -> name.equals(o.path("metadata").path("name").asText())).toList();
        assertEquals(1, found.size(), "expected one " + kind + " named " + name);
        return found.get(0);
    }

    private static JsonNode deployment(List<JsonNode> objects) {
        return one(objects, "Deployment", APP);
    }

    private static JsonNode container(List<JsonNode> objects) {
        JsonNode containers = deployment(objects).path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), "one container in the pod");
        return containers.get(0);
    }

    // ---------------------------------------------------------------- what the application says

    private static Properties applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** A key in its default profile: the prod value when set, else the unprofiled one. */
    private static String prodValue(String key, String fallback) {
        Properties properties = applicationProperties();
        return properties.getProperty("%prod." + key, properties.getProperty(key, fallback));
    }

    private static int httpPort() {
        return Integer.parseInt(prodValue("quarkus.http.port", "8080"));
    }

    private static String healthPath(String kind) {
        String root = prodValue("quarkus.http.non-application-root-path", "q").replaceAll("^/|/$", "");
        String health = prodValue("quarkus.smallrye-health.root-path", "health").replaceAll("^/|/$", "");
        String leaf = prodValue("quarkus.smallrye-health." + kind + "-path", kind.equals("startup") ? "started"
                : kind.equals("readiness") ? "ready" : "live");
        return "/" + root + "/" + health + "/" + leaf;
    }

    /** Quarkus durations: a number with s, m, h or d, or an ISO-8601 duration. */
    private static Duration duration(String value) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(value.trim());
        if (!m.matches()) {
            return Duration.parse(value.trim());
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /**
     * Every configuration key the application reads: application.properties (any profile), the
     * contract's standard keys, and the properties of every {@code @ConfigMapping} in src/main/java.
     */
    static Set<String> knownConfigKeys() throws IOException {
        Set<String> keys = new TreeSet<>(CONTRACT_KEYS);
        for (String key : applicationProperties().stringPropertyNames()) {
            keys.add(key.replaceFirst("^%[^.]+\\.", ""));
        }
        Pattern prefix = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
        Pattern method = Pattern.compile("^\\s+[\\w.<>?, ]+\\s+(\\w+)\\(\\);", Pattern.MULTILINE);
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : (Iterable<Path>) sources.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String code = Files.readString(source);
                Matcher p = prefix.matcher(code);
                if (!p.find()) {
                    continue;
                }
                Matcher m = method.matcher(code);
                while (m.find()) {
                    keys.add(p.group(1) + "." + m.group(1).replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase());
                }
            }
        }
        return keys;
    }

    /** The environment variable name MicroProfile Config maps a key to. */
    private static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    /** The repository part of the image names that src/main/docker's build commands give ({@code -t name:tag}). */
    private static Set<String> documentedImageRepositories() throws IOException {
        Set<String> repositories = new HashSet<>();
        Pattern tag = Pattern.compile("docker build -f src/main/docker/(\\S+) -t ([^\\s:]+)(:\\S+)?\\s");
        try (Stream<Path> dockerfiles = Files.list(Path.of("src/main/docker"))) {
            for (Path dockerfile : (Iterable<Path>) dockerfiles::iterator) {
                Matcher m = tag.matcher(Files.readString(dockerfile));
                assertTrue(m.find(), dockerfile + " documents no build command with -t");
                assertEquals(dockerfile.getFileName().toString(), m.group(1), "build command of " + dockerfile);
                repositories.add(m.group(2));
            }
        }
        return repositories;
    }

    // ---------------------------------------------------------------- checks on every target

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "prod" })
    void probes_useTheHealthEndpointsOnTheHttpPort(String target) throws Exception {
        JsonNode container = container(render(target));
        int port = httpPort();
        JsonNode ports = container.path("ports");
        assertEquals(1, ports.size());
        assertEquals("http", ports.get(0).path("name").asText());
        assertEquals(port, ports.get(0).path("containerPort").asInt());
        assertEquals(8080, port, "the contract's port");

        Map<String, String> probes = Map.of("startupProbe", healthPath("startup"), "readinessProbe",
                healthPath("readiness"), "livenessProbe", healthPath("liveness"));
        probes.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            assertEquals(path, get.path("path").asText(), probe);
            String probePort = get.path("port").asText();
            assertTrue(probePort.equals("http") || probePort.equals(String.valueOf(port)), probe + " port " + probePort);
        });
        assertEquals("/q/health/ready", healthPath("readiness"), "the contract's readiness path");
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "prod" })
    void image_isTheOneTheDockerfilesBuild(String target) throws Exception {
        String image = container(render(target)).path("image").asText();
        String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
        assertEquals(Set.of(repository), documentedImageRepositories());
        if (!target.equals("base")) {
            assertTrue(image.contains(":") && !image.endsWith(":latest"), target + " pins an image tag: " + image);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "prod" })
    void everyEnvironmentVariable_setsAKeyTheApplicationReads(String target) throws Exception {
        List<JsonNode> objects = render(target);
        JsonNode container = container(objects);
        Map<String, String> byEnvironmentName = new HashMap<>();
        for (String key : knownConfigKeys()) {
            byEnvironmentName.put(environmentName(key), key);
        }

        List<String> names = new ArrayList<>();
        for (JsonNode from : container.path("envFrom")) {
            String configMap = from.path("configMapRef").path("name").asText();
            assertFalse(configMap.isEmpty(), "envFrom only from the ConfigMap: " + from);
            one(objects, "ConfigMap", configMap).path("data").fieldNames().forEachRemaining(names::add);
        }
        container.path("env").forEach(env -> names.add(env.path("name").asText()));
        assertTrue(names.size() >= 10, "settings found: " + names);

        List<String> unknown = names.stream().filter(n -> !byEnvironmentName.containsKey(n)).toList();
        assertEquals(List.of(), unknown, "environment variables the application does not read");
        for (String required : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                "QUARKUS_DATASOURCE_PASSWORD", "AMQP_HOST", "AMQP_PORT", "AMQP_USERNAME", "AMQP_PASSWORD",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "SMALLRYE_JWT_SIGN_KEY_LOCATION")) {
            assertTrue(names.contains(required), target + " sets " + required);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "prod" })
    void secrets_comeFromTheSecret_andTheKeyFilesAreMountedWhereTheConfigPoints(String target) throws Exception {
        List<JsonNode> objects = render(target);
        JsonNode container = container(objects);
        JsonNode pod = deployment(objects).path("spec").path("template").path("spec");

        for (String secret : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "AMQP_USERNAME",
                "AMQP_PASSWORD")) {
            JsonNode env = null;
            for (JsonNode e : container.path("env")) {
                if (secret.equals(e.path("name").asText())) {
                    env = e;
                }
            }
            assertNotNull(env, secret + " is set");
            assertTrue(env.path("valueFrom").has("secretKeyRef"), secret + " comes from a Secret, not a literal");
        }
        for (JsonNode cm : ofKind(objects, "ConfigMap")) {
            cm.path("data").fieldNames().forEachRemaining(
                    name -> assertFalse(name.contains("PASSWORD") || name.contains("USERNAME"),
                            "secret in ConfigMap: " + name));
        }

        // The key locations point into the mounted Secret volume, at the files it holds.
        Map<String, String> config = new HashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            one(objects, "ConfigMap", from.path("configMapRef").path("name").asText()).path("data").fields()
                    .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        }
        Map<String, String> secretFiles = new HashMap<>(); // file path -> secret key
        for (JsonNode mount : container.path("volumeMounts")) {
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("secret")) {
                    assertTrue(mount.path("readOnly").asBoolean(), "secret mounted read-only");
                    for (JsonNode item : volume.path("secret").path("items")) {
                        secretFiles.put(mount.path("mountPath").asText() + "/" + item.path("path").asText(),
                                item.path("key").asText());
                    }
                }
            }
        }
        for (String location : List.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "SMALLRYE_JWT_SIGN_KEY_LOCATION")) {
            assertTrue(secretFiles.containsKey(config.get(location)),
                    location + "=" + config.get(location) + " is one of the mounted key files " + secretFiles.keySet());
        }

        // Where the overlay makes the Secret (dev), it holds every key the pod asks for.
        for (JsonNode secret : ofKind(objects, "Secret")) {
            Set<String> present = new HashSet<>();
            secret.path("data").fieldNames().forEachRemaining(present::add);
            secret.path("stringData").fieldNames().forEachRemaining(present::add);
            String name = secret.path("metadata").path("name").asText();
            List<String> wanted = new ArrayList<>(secretFiles.values());
            container.path("env").forEach(e -> {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                if (name.equals(ref.path("name").asText())) {
                    wanted.add(ref.path("key").asText());
                }
            });
            assertTrue(present.containsAll(wanted), name + " holds " + present + ", the pod wants " + wanted);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "prod" })
    void migrateJob_migratesWithTheReleasedImage_andTheReplicasDoNot(String target) throws Exception {
        List<JsonNode> objects = render(target);
        JsonNode job = one(objects, "Job", APP + "-migrate");
        JsonNode pod = job.path("spec").path("template").path("spec");
        assertEquals(1, pod.path("containers").size());
        JsonNode migrate = pod.path("containers").get(0);
        JsonNode replica = container(objects);

        assertEquals(replica.path("image").asText(), migrate.path("image").asText(), "the Job runs the release's image");
        assertEquals(replica.path("envFrom"), migrate.path("envFrom"), "the same settings");
        assertEquals("true", envValue(migrate, "QUARKUS_INIT_AND_EXIT"), "migrate, then exit");
        assertEquals("false", envValue(replica, "QUARKUS_FLYWAY_ACTIVE"), "replicas leave migrating to the Job");
        Map<String, String> byEnvironmentName = new HashMap<>();
        knownConfigKeys().forEach(key -> byEnvironmentName.put(environmentName(key), key));
        for (JsonNode env : migrate.path("env")) {
            String name = env.path("name").asText();
            assertTrue(byEnvironmentName.containsKey(name), "the Job sets " + name + ", which the application does not read");
            if (name.contains("USERNAME") || name.contains("PASSWORD")) {
                assertTrue(env.path("valueFrom").has("secretKeyRef"), name + " comes from a Secret");
            }
        }
        assertTrue(Set.of("OnFailure", "Never").contains(pod.path("restartPolicy").asText()));
        assertTrue(job.path("spec").path("ttlSecondsAfterFinished").asInt(0) > 0,
                "a finished Job goes away, so that the next release can create it again");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        assertTrue(migrate.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
        assertFalse(migrate.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true));

        // The Job's pod is no replica: nothing that selects replicas selects it.
        JsonNode labels = job.path("spec").path("template").path("metadata").path("labels");
        assertFalse(selects(one(objects, "Service", APP).path("spec").path("selector"), labels), "the Service");
        assertFalse(selects(one(objects, "PodDisruptionBudget", APP).path("spec").path("selector").path("matchLabels"),
                labels), "the PDB");
        assertFalse(selects(deployment(objects).path("spec").path("selector").path("matchLabels"), labels),
                "the Deployment");
        // Its own network policy: no ingress, egress to DNS and PostgreSQL only.
        List<JsonNode> policies = ofKind(objects, "NetworkPolicy").stream()
                .filter(p -> selects(p.path("spec").path("podSelector").path("matchLabels"), labels)).toList();
        assertEquals(1, policies.size(), "one NetworkPolicy for the Job's pod");
        JsonNode policy = policies.get(0).path("spec");
        assertTrue(policy.path("policyTypes").toString().contains("Ingress")
                && policy.path("policyTypes").toString().contains("Egress"));
        assertEquals(0, policy.path("ingress").size(), "no ingress");
        Set<Integer> ports = new TreeSet<>();
        policy.path("egress").forEach(rule -> rule.path("ports").forEach(port -> ports.add(port.path("port").asInt())));
        assertEquals(Set.of(53, 5432), ports);
    }

    private static String envValue(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (name.equals(env.path("name").asText())) {
                return env.path("value").asText();
            }
        }
        return null;
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "prod" })
    void pod_runsAsNonRootWithAReadOnlyRootFilesystem(String target) throws Exception {
        List<JsonNode> objects = render(target);
        JsonNode pod = deployment(objects).path("spec").path("template").path("spec");
        JsonNode container = container(objects);
        JsonNode security = container.path("securityContext");

        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        assertTrue(security.path("runAsNonRoot").asBoolean(true));
        assertTrue(pod.path("securityContext").path("runAsUser").asInt(1) > 0, "not uid 0");
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
        assertTrue(security.path("capabilities").path("drop").toString().contains("\"ALL\""));
        assertFalse(security.path("privileged").asBoolean(false));

        String tmpVolume = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals("/tmp")) {
                tmpVolume = mount.path("name").asText();
            }
        }
        assertNotNull(tmpVolume, "a writable /tmp");
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(tmpVolume)) {
                assertTrue(volume.has("emptyDir"), "/tmp is an emptyDir");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "prod" })
    void shutdown_fitsInTheGracePeriod(String target) throws Exception {
        List<JsonNode> objects = render(target);
        JsonNode pod = deployment(objects).path("spec").path("template").path("spec");
        long grace = pod.path("terminationGracePeriodSeconds").asLong();
        long preStop = container(objects).path("lifecycle").path("preStop").path("sleep").path("seconds").asLong();
        Duration shutdown = duration(prodValue("quarkus.shutdown.timeout", "0s"));
        // After SIGTERM: HTTP requests drain (up to the shutdown timeout) while the delivery drain runs
        // (up to its timeout, counted from SIGTERM); then the claim pool stops (its timeout is in ms).
        Duration drain = duration(configMapValue(objects, "DATAPUSHER_DELIVERY_DRAIN_TIMEOUT")
                .orElse(prodValue("datapusher.delivery.drain-timeout", "15s")));
        Duration delivery = duration(configMapValue(objects, "DATAPUSHER_DELIVERY_TIMEOUT")
                .orElse(prodValue("datapusher.delivery.timeout", "10s")));
        Duration claimPool = Duration.ofMillis(
                Long.parseLong(prodValue("smallrye.messaging.worker.delivery-claims.shutdown-timeout", "60000")));
        long worst = preStop + Math.max(shutdown.toSeconds(), drain.toSeconds()) + claimPool.toSeconds();

        assertTrue(preStop >= 5, "a preStop pause lets endpoint removal spread before SIGTERM: " + preStop);
        assertTrue(shutdown.toSeconds() > 0, "quarkus.shutdown.timeout is set");
        assertTrue(drain.compareTo(delivery) > 0, "an attempt under way (" + delivery + ") ends within the drain " + drain);
        assertTrue(grace > worst, "grace " + grace + " s > preStop " + preStop + " s + max(shutdown "
                + shutdown.toSeconds() + " s, delivery drain " + drain.toSeconds() + " s) + claim pool "
                + claimPool.toSeconds() + " s");
    }

    /** A variable of the ConfigMap the container takes its environment from. */
    private static Optional<String> configMapValue(List<JsonNode> objects, String name) {
        for (JsonNode from : container(objects).path("envFrom")) {
            JsonNode data = one(objects, "ConfigMap", from.path("configMapRef").path("name").asText()).path("data");
            if (data.has(name)) {
                return Optional.of(data.path(name).asText());
            }
        }
        return Optional.empty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "prod" })
    void replicas_scaleAndSurviveDisruption(String target) throws Exception {
        List<JsonNode> objects = render(target);
        JsonNode deployment = deployment(objects);
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
        int replicas = deployment.path("spec").path("replicas").asInt();
        assertTrue(replicas >= 2, "replicas " + replicas);
        assertTrue(selects(deployment.path("spec").path("selector").path("matchLabels"), podLabels));

        JsonNode hpa = one(objects, "HorizontalPodAutoscaler", APP);
        assertEquals("autoscaling/v2", hpa.path("apiVersion").asText());
        JsonNode scaleTarget = hpa.path("spec").path("scaleTargetRef");
        assertEquals("Deployment", scaleTarget.path("kind").asText());
        assertEquals("apps/v1", scaleTarget.path("apiVersion").asText());
        assertEquals(APP, scaleTarget.path("name").asText());
        int min = hpa.path("spec").path("minReplicas").asInt();
        assertTrue(min >= 2 && min <= replicas, "HPA min " + min + " between 2 and the replicas " + replicas);
        assertTrue(hpa.path("spec").path("maxReplicas").asInt() > min);

        JsonNode pdb = one(objects, "PodDisruptionBudget", APP);
        assertTrue(selects(pdb.path("spec").path("selector").path("matchLabels"), podLabels), "PDB selects the pods");
        int minAvailable = pdb.path("spec").path("minAvailable").asInt();
        assertTrue(minAvailable >= 1 && minAvailable < min, "PDB allows a drain: minAvailable " + minAvailable);

        JsonNode service = one(objects, "Service", APP);
        assertTrue(selects(service.path("spec").path("selector"), podLabels), "Service selects the pods");
        JsonNode servicePort = service.path("spec").path("ports").get(0);
        assertTrue(List.of("http", String.valueOf(httpPort())).contains(servicePort.path("targetPort").asText()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "prod" })
    void networkPolicy_letsInHttpAndOutOnlyWhatTheAppNeeds(String target) throws Exception {
        List<JsonNode> objects = render(target);
        JsonNode podLabels = deployment(objects).path("spec").path("template").path("metadata").path("labels");
        JsonNode policy = one(objects, "NetworkPolicy", APP);
        assertTrue(selects(policy.path("spec").path("podSelector").path("matchLabels"), podLabels));
        assertTrue(policy.path("spec").path("policyTypes").toString().contains("Egress"));

        Set<String> ingressPorts = new HashSet<>();
        policy.path("spec").path("ingress").forEach(rule -> rule.path("ports")
                .forEach(p -> ingressPorts.add(p.path("port").asText())));
        assertEquals(Set.of(String.valueOf(httpPort())), ingressPorts);

        Map<String, JsonNode> egressByPort = new HashMap<>();
        policy.path("spec").path("egress").forEach(rule -> rule.path("ports")
                .forEach(p -> egressByPort.put(p.path("protocol").asText("TCP") + "/" + p.path("port").asText(), rule)));
        assertEquals(Set.of("UDP/53", "TCP/53", "TCP/5432", "TCP/5672", "TCP/80", "TCP/443"), egressByPort.keySet());
        String web = egressByPort.get("TCP/443").path("to").toString();
        for (String privateRange : List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16")) {
            assertTrue(web.contains("\"" + privateRange + "\""), "deliveries may not reach " + privateRange);
        }
        assertEquals(egressByPort.get("TCP/80"), egressByPort.get("TCP/443"), "80 and 443 share one rule");
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        var fields = selector.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getValue().asText().equals(labels.path(field.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- per overlay

    @Test
    void prod_hasMoreReplicasAPinnedImageAndNoDemoServicesOrSecrets() throws Exception {
        List<JsonNode> base = render("base");
        List<JsonNode> prod = render("prod");
        assertTrue(deployment(prod).path("spec").path("replicas").asInt() > deployment(base).path("spec").path("replicas")
                .asInt());
        assertTrue(container(prod).path("image").asText().matches(".+:\\d+\\.\\d+\\.\\d+"), "a release version tag");
        assertEquals(List.of(), ofKind(prod, "StatefulSet"), "no demo services in prod");
        assertEquals(List.of(), ofKind(prod, "Secret"), "prod secrets are created outside the repository");
        for (JsonNode object : prod) {
            assertFalse(object.path("metadata").path("labels").has("data-pusher.io/demo"), object.toString());
        }
    }

    @Test
    void dev_bringsPostgresqlAndRabbitmqWithTheAmqp10Plugin() throws Exception {
        List<JsonNode> dev = render("dev");
        JsonNode rabbit = one(dev, "StatefulSet", "rabbitmq");
        one(dev, "StatefulSet", "postgresql");
        one(dev, "Service", "rabbitmq");
        one(dev, "Service", "postgresql");

        JsonNode pod = rabbit.path("spec").path("template").path("spec");
        String pluginsConfigMap = null;
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("configMap")) {
                pluginsConfigMap = volume.path("configMap").path("name").asText();
            }
        }
        assertNotNull(pluginsConfigMap);
        String plugins = one(dev, "ConfigMap", pluginsConfigMap).path("data").path("enabled_plugins").asText();
        assertTrue(plugins.contains("rabbitmq_amqp1_0"), plugins);
        assertTrue(pod.path("containers").get(0).path("volumeMounts").toString().contains("/etc/rabbitmq/enabled_plugins"));

        Map<String, String> config = new HashMap<>();
        one(dev, "ConfigMap", container(dev).path("envFrom").get(0).path("configMapRef").path("name").asText())
                .path("data").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        assertEquals("rabbitmq", config.get("AMQP_HOST"), "the app finds the demo broker");
        assertTrue(config.get("QUARKUS_DATASOURCE_JDBC_URL").startsWith("jdbc:postgresql://postgresql:5432/"));
    }

    @Test
    void grafanaDashboard_isJsonAndChartsEveryServiceMetric() throws IOException {
        JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(K8S.resolve("grafana/data-pusher-dashboard.json").toFile());
        StringBuilder expressions = new StringBuilder();
        for (JsonNode panel : dashboard.path("panels")) {
            panel.path("targets").forEach(t -> expressions.append(t.path("expr").asText()).append('\n'));
        }
        for (String metric : List.of("datapusher_ingest_requests_total", "datapusher_deliveries_total",
                "datapusher_delivery_latency_seconds_bucket", "datapusher_delivery_attempt_duration_seconds",
                "datapusher_deliveries_unstarted", "datapusher_retries_waiting", "http_server_requests_seconds_count")) {
            assertTrue(expressions.toString().contains(metric), "the dashboard charts " + metric);
        }
        assertTrue(expressions.toString().contains("sum by (outcome)"), "ingest by outcome");
        assertTrue(expressions.toString().contains("sum by (status)"), "deliveries by status");
    }

    @Test
    void knownConfigKeys_includeTheFeatureMappings() throws IOException {
        Set<String> keys = knownConfigKeys();
        assertTrue(keys.contains("datapusher.ingest.rate-per-second"), keys.toString());
        assertTrue(keys.contains("datapusher.delivery.initial-backoff"), keys.toString());
        assertTrue(keys.contains("quarkus.shutdown.timeout"), keys.toString());
        assertFalse(keys.contains("datapusher.ingest.no-such-setting"));
    }
}
