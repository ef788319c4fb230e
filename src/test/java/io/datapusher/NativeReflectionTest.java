package io.datapusher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * JSON bodies that travel inside a {@code jakarta.ws.rs.core.Response} (created answers, exception
 * mappers) are invisible to Quarkus at build time, so a native executable could not serialize
 * them unless each is annotated {@code @RegisterForReflection}. Records named in a resource
 * method's signature need nothing.
 */
class NativeReflectionTest {
    private static final Path SOURCES = Path.of("src/main/java");

    @Test
    void everyClassPassedToAResponse_isRegisteredForReflection() throws IOException, ClassNotFoundException {
        // entity(Foo.of(...)), entity(new Foo(...)), Response.accepted(Foo.of(...)), Response.ok(new Foo(...)):
        // the class named first. An entity passed as a variable is not seen; annotate it by hand.
        Pattern entity = Pattern
                .compile("(?:\\.entity|Response\\.accepted|Response\\.ok)\\(\\s*(?:new\\s+)?([A-Z]\\w*)\\s*[.(]");
        Map<String, String> classBySimpleName = new HashMap<>();
        Set<String> used = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(SOURCES)) {
            for (Path source : (Iterable<Path>) sources.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String file = SOURCES.relativize(source).toString();
                String className = file.substring(0, file.length() - ".java".length()).replace('/', '.');
                classBySimpleName.put(className.substring(className.lastIndexOf('.') + 1), className);
                Matcher m = entity.matcher(Files.readString(source));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        used.removeIf(name -> Set.of("Response", "Map", "List", "String").contains(name));
        // the console's pages: Qute template instances, rendered by Qute, never serialized as JSON
        used.remove("ConsoleViews");
        assertFalse(used.isEmpty(), "the scan found the existing .entity(...) uses");

        Set<String> missing = new TreeSet<>();
        for (String simpleName : used) {
            String className = classBySimpleName.get(simpleName);
            if (className == null || !Class.forName(className).isAnnotationPresent(RegisterForReflection.class)) {
                missing.add(simpleName);
            }
        }
        assertEquals(Set.of(), missing, "annotate these with @RegisterForReflection");
    }
}
