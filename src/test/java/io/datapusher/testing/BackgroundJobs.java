package io.datapusher.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.callback.QuarkusTestAfterEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;

/**
 * The scheduled jobs (due poller, gauges, purges) are halted in {@code @QuarkusTest}s
 * ({@code %test.quarkus.scheduler.start-mode=halted}), so that a test reads exactly what it wrote.
 * A test class that needs them, retries for one, is annotated {@link Run}: they run for each of
 * its tests and are halted again after it. Registered in META-INF/services.
 */
public final class BackgroundJobs implements QuarkusTestBeforeEachCallback, QuarkusTestAfterEachCallback {

    /** The scheduled jobs run during each test of the annotated class. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Run {
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        Scheduler scheduler = schedulerFor(context);
        if (scheduler != null) {
            scheduler.resume();
        }
    }

    @Override
    public void afterEach(QuarkusTestMethodContext context) {
        Scheduler scheduler = schedulerFor(context);
        if (scheduler != null) {
            scheduler.pause();
        }
    }

    private static Scheduler schedulerFor(QuarkusTestMethodContext context) {
        ArcContainer container = Arc.container();
        if (container == null || !context.getTestInstance().getClass().isAnnotationPresent(Run.class)) {
            return null; // not this class, or a packaged app (@QuarkusIntegrationTest), whose jobs run anyway
        }
        return container.instance(Scheduler.class).get();
    }
}
