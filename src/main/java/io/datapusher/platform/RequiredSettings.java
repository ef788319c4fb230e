package io.datapusher.platform;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Stops start-up when a setting that a deployment must give is missing, instead of starting a
 * replica that answers 401 to every token. Nothing here has a default in prod on purpose: the
 * database URL and the JWT key pair differ per deployment and are secrets or point at them.
 * <p>
 * Quarkus itself already refuses to start without {@code quarkus.datasource.jdbc.url} (Hibernate
 * fails before this observer runs, naming the key); smallrye-jwt, though, starts without keys and
 * only fails each request, so the key locations are checked here, and that the files are readable.
 */
@ApplicationScoped
public class RequiredSettings {
    static final String DATABASE_URL = "quarkus.datasource.jdbc.url";
    static final String PUBLIC_KEY = "mp.jwt.verify.publickey.location";
    static final String PRIVATE_KEY = "smallrye.jwt.sign.key.location";

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, Config config) {
        List<String> problems = problems(key -> config.getOptionalValue(key, String.class));
        if (!problems.isEmpty()) {
            String message = "Data Pusher cannot start: " + String.join("; ", problems);
            Log.error(message);
            throw new IllegalStateException(message);
        }
    }

    /** What is missing or unusable, one sentence each naming the key and its environment variable. */
    static List<String> problems(Function<String, Optional<String>> config) {
        List<String> problems = new ArrayList<>();
        for (String key : List.of(DATABASE_URL, PUBLIC_KEY, PRIVATE_KEY)) {
            Optional<String> value = config.apply(key).filter(v -> !v.isBlank());
            if (value.isEmpty()) {
                problems.add("required setting " + key + " (environment variable " + environmentName(key) + ") is not set");
            } else if (!key.equals(DATABASE_URL) && !readable(value.get())) {
                problems.add(key + " (environment variable " + environmentName(key) + ") names " + value.get()
                        + ", which is not a readable file");
            }
        }
        return problems;
    }

    /** The environment variable MicroProfile Config maps to {@code key}. */
    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Key locations may be files, {@code file:} or {@code classpath:} URLs, or http(s) URLs (not checked). */
    private static boolean readable(String location) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return true;
        }
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
            return Thread.currentThread().getContextClassLoader().getResource(resource) != null;
        }
        String file = location.startsWith("file:") ? location.substring("file:".length()) : location;
        try {
            Path path = Path.of(file);
            return Files.isRegularFile(path) && Files.isReadable(path);
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
