package io.datapusher.testing;

import io.quarkus.arc.Arc;
import io.quarkus.scheduler.Scheduler;

/**
 * The scheduled jobs (due poller, gauges, purges) are halted in {@code @QuarkusTest}s
 * ({@code %test.quarkus.scheduler.start-mode=halted}), so that a test reads exactly what it wrote.
 * A test that needs them, retries for one, runs them for its own duration.
 */
public final class BackgroundJobs {
    private BackgroundJobs() {
    }

    public static void run() {
        scheduler().resume();
    }

    public static void halt() {
        scheduler().pause();
    }

    private static Scheduler scheduler() {
        return Arc.container().instance(Scheduler.class).get();
    }
}
