package io.datapusher.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link LocalServices} for every test class (the annotation is global). */
@QuarkusTestResource(LocalServices.class)
public final class UsesLocalServices {
    private UsesLocalServices() {
    }
}
