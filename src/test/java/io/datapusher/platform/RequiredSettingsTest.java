package io.datapusher.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check itself, without starting an app; {@code MissingSettingsIT} starts the packaged jar. */
class RequiredSettingsTest {

    @TempDir
    Path dir;

    private Map<String, String> complete() throws IOException {
        Path publicKey = Files.writeString(dir.resolve("public.pem"), "public");
        Path privateKey = Files.writeString(dir.resolve("private.pem"), "private");
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://db:5432/datapusher");
        config.put("mp.jwt.verify.publickey.location", publicKey.toString());
        config.put("smallrye.jwt.sign.key.location", "file:" + privateKey);
        return config;
    }

    private static List<String> problems(Map<String, String> config) {
        return RequiredSettings.problems(key -> Optional.ofNullable(config.get(key)));
    }

    @Test
    void completeSettings_haveNoProblem() throws IOException {
        assertEquals(List.of(), problems(complete()));
    }

    @Test
    void missingDatabaseUrl_namesTheKeyAndItsEnvironmentVariable() throws IOException {
        Map<String, String> config = complete();
        config.remove("quarkus.datasource.jdbc.url");
        assertEquals(List.of("required setting quarkus.datasource.jdbc.url (environment variable "
                + "QUARKUS_DATASOURCE_JDBC_URL) is not set"), problems(config));
    }

    @Test
    void missingOrBlankKeyLocations_areBothReported() throws IOException {
        Map<String, String> config = complete();
        config.remove("mp.jwt.verify.publickey.location");
        config.put("smallrye.jwt.sign.key.location", " ");
        List<String> problems = problems(config);
        assertEquals(2, problems.size());
        assertTrue(problems.get(0).contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION"), problems.get(0));
        assertTrue(problems.get(1).contains("SMALLRYE_JWT_SIGN_KEY_LOCATION"), problems.get(1));
    }

    @Test
    void keyLocationOfAMissingFile_isAProblem() throws IOException {
        Map<String, String> config = complete();
        config.put("mp.jwt.verify.publickey.location", dir.resolve("nowhere.pem").toString());
        List<String> problems = problems(config);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("mp.jwt.verify.publickey.location"), problems.get(0));
        assertTrue(problems.get(0).contains("not a readable file"), problems.get(0));
    }

    @Test
    void keyLocationOfADirectory_isAProblem() throws IOException {
        Map<String, String> config = complete();
        config.put("smallrye.jwt.sign.key.location", dir.toString());
        assertEquals(1, problems(config).size());
    }

    @Test
    void keyLocationOnTheClasspathOrOverHttps_isAccepted() throws IOException {
        Map<String, String> config = complete();
        config.put("mp.jwt.verify.publickey.location", "https://keys.example.com/jwks.json");
        config.put("smallrye.jwt.sign.key.location", "classpath:META-INF/openapi.yaml");
        assertEquals(List.of(), problems(config));
    }

    @Test
    void missingClasspathKey_isAProblem() throws IOException {
        Map<String, String> config = complete();
        config.put("smallrye.jwt.sign.key.location", "classpath:no/such/key.pem");
        assertEquals(1, problems(config).size());
    }

    @Test
    void environmentName_followsMicroProfileConfigMapping() {
        assertEquals("SMALLRYE_JWT_SIGN_KEY_LOCATION", RequiredSettings.environmentName("smallrye.jwt.sign.key.location"));
        assertEquals("AMQP_HOST", RequiredSettings.environmentName("amqp-host"));
    }
}
