package io.datapusher.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Every type put into a Response entity by name is registered for a native executable's JSON. */
class NativeReflectionTest {

    @Test
    void everyClassPassedToResponseEntity_isRegisteredForReflection() throws IOException {
        RegisterForReflection registration = NativeReflection.class.getAnnotation(RegisterForReflection.class);
        assertNotNull(registration, "@RegisterForReflection is kept at run time");
        Set<String> registered = Arrays.stream(registration.targets()).map(Class::getSimpleName).collect(Collectors.toSet());

        // entity(Foo.of(...)), entity(new Foo(...)), Response.accepted(Foo.of(...)), Response.ok(new Foo(...)):
        // the class named first. An entity passed as a variable is not seen; register it by hand.
        Pattern entity = Pattern
                .compile("(?:\\.entity|Response\\.accepted|Response\\.ok)\\(\\s*(?:new\\s+)?([A-Z]\\w*)\\s*[.(]");
        Set<String> used = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : (Iterable<Path>) sources.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = entity.matcher(Files.readString(source));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertFalse(used.isEmpty(), "the scan found the existing .entity(...) uses");
        used.removeIf(name -> name.equals("Response") || name.equals("Map") || name.equals("List") || name.equals("String"));
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(registered);
        assertEquals(Set.of(), missing, "add these to NativeReflection's targets");
    }
}
