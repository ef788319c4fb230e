package io.datapusher.common;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * Whether one dependency (the database, the broker) is out of reach, so that an outage is two log
 * lines, not one per failed request: the first failure logs a WARN, the first success after it an
 * INFO with how long the outage lasted; the failures in between are only counted. Everything that
 * uses the dependency reports here, so one outage is one WARN however many callers see it.
 *
 * <p>
 * Meters, tagged {@code dependency}: {@code datapusher_dependency_down} (1 while out of reach),
 * {@code datapusher_dependency_outages_total}, {@code datapusher_dependency_failures_total} (every
 * failure reported, those the log does not repeat included).
 */
public class OutageTracker {
    private static final long UP = Long.MIN_VALUE;
    /**
     * Failures this soon after a recovery are counted, not logged: calls that began before it
     * (waiting for a connection, a send on the old one) end after it.
     */
    static final long SETTLE_NANOS = 5_000_000_000L;

    private final String dependency;
    private final String meanwhile;
    private final LongSupplier nanoClock;
    private final Counter outages;
    private final Counter failures;
    /** {@link #UP}, or the clock's reading at the first failure of the current outage. */
    private final AtomicLong downSince = new AtomicLong(UP);
    private final AtomicLong failuresInOutage = new AtomicLong();
    private volatile long recoveredAt = UP;

    /**
     * @param dependency its name in logs and meters, e.g. {@code database}
     * @param meanwhile what the service does while it is out of reach, for the WARN line
     */
    public OutageTracker(String dependency, String meanwhile, MeterRegistry registry, LongSupplier nanoClock) {
        this.dependency = dependency;
        this.meanwhile = meanwhile;
        this.nanoClock = nanoClock;
        this.outages = Counter.builder("datapusher.dependency.outages")
                .description("Outages of a dependency: a failure after a success")
                .tag("dependency", dependency)
                .register(registry);
        this.failures = Counter.builder("datapusher.dependency.failures")
                .description("Failures to reach a dependency, each one, logged or not")
                .tag("dependency", dependency)
                .register(registry);
        Gauge.builder("datapusher.dependency.down", this, t -> t.isDown() ? 1 : 0)
                .description("1 while a dependency is out of reach (from its first failure to its next success)")
                .tag("dependency", dependency)
                .strongReference(true)
                .register(registry);
    }

    /** A use of the dependency failed because it is out of reach; logs only the first of an outage. */
    public void failed(Throwable cause) {
        failures.increment();
        long now = nanoClock.getAsLong();
        long recovered = recoveredAt;
        if (downSince.get() == UP && recovered != UP && now - recovered < SETTLE_NANOS) {
            return;
        }
        failuresInOutage.incrementAndGet();
        if (downSince.get() == UP && downSince.compareAndSet(UP, now)) {
            outages.increment();
            Log.warnf("The %s is out of reach (%s); %s. Logged once per outage: datapusher_dependency_failures_total "
                    + "counts each failure", dependency, cause == null ? "no answer" : cause.getClass().getSimpleName(),
                    meanwhile);
        }
    }

    /** A use of the dependency succeeded; ends the outage, if any. Cheap: one volatile read when up. */
    public void succeeded() {
        long since = downSince.get();
        if (since != UP && downSince.compareAndSet(since, UP)) {
            recoveredAt = nanoClock.getAsLong();
            long failed = failuresInOutage.getAndSet(0);
            Log.infof("The %s is back after %s (%d failures meanwhile)", dependency,
                    seconds(nanoClock.getAsLong() - since), failed);
        }
    }

    public boolean isDown() {
        return downSince.get() != UP;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
